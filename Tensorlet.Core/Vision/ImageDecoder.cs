using StbImageSharp;
using Tensorlet.IO;

namespace Tensorlet.Vision;

/// <summary>
/// Decodes PNG, JPEG, BMP, GIF (first frame) and TGA files with StbImageSharp, a C# port of stb_image. Every failure —
/// a file that is not an image, a truncated or corrupt one, an absurdly large one — is an
/// <see cref="InvalidDataException"/> that names the file and says what is wrong.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The file extensions <see cref="IsImageFile"/> accepts (lower case, with the dot).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga"];

    // 2²⁸ pixels (16384 × 16384): larger headers are refused before any memory is allocated for them, so a crafted
    // header cannot ask for gigabytes.
    private const long MaxPixels = 1L << 28;

    /// <summary>Whether <paramref name="path"/> has one of the <see cref="Extensions"/> (case-insensitive).</summary>
    public static bool IsImageFile(string path) =>
        Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>
    /// Reads and decodes the image file at <paramref name="path"/>, keeping its own channel count; a missing or
    /// unreadable file is a <see cref="FileNotFoundException"/> or <see cref="IOException"/> naming it.
    /// </summary>
    public static DecodedImage Decode(string path) => Decode(InputFile.ReadAllBytes(path), path);

    /// <summary>Decodes an image held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static DecodedImage Decode(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) throw new InvalidDataException($"{name}: the file is empty, expected a PNG, JPEG, BMP, GIF or TGA image.");
        ImageInfo? info;
        using (var stream = new MemoryStream(bytes, writable: false))
            info = Attempt(() => ImageInfo.FromStream(stream), name);
        if (info is not { } header)
        {
            // The header was refused; decoding says why ("unknown image type", "too large", ...).
            string reason = FailureReason(bytes);
            throw new InvalidDataException(reason.Contains("unknown image type", StringComparison.OrdinalIgnoreCase)
                ? $"{name}: not a PNG, JPEG, BMP, GIF or TGA image (the first bytes match no image format)."
                : $"{name}: the image header is unusable ({reason}).");
        }
        if (header.Width <= 0 || header.Height <= 0 || (long)header.Width * header.Height > MaxPixels)
            throw new InvalidDataException($"{name}: the header claims {header.Width} × {header.Height} pixels; at most {MaxPixels:N0} pixels are accepted.");
        var image = Attempt(() => ImageResult.FromMemory(bytes, ColorComponents.Default), name)
                    ?? throw new InvalidDataException($"{name}: the image data could not be decoded.");
        return new DecodedImage(name, image.Data, image.Width, image.Height, (int)image.Comp);
    }

    private static string FailureReason(byte[] bytes)
    {
        try
        {
            ImageResult.FromMemory(bytes, ColorComponents.Default);
            return "unknown reason";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ex.Message;
        }
    }

    // stb_image reports failure as an InvalidOperationException carrying its reason ("bad zlib header", ...); a damaged
    // file can also trip its bounds checks. Either way the user needs the file's name, not the decoder's internals.
    private static T Attempt<T>(Func<T> decode, string name)
    {
        try
        {
            return decode();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{name}: the image is corrupt or truncated ({ex.Message}).", ex);
        }
    }
}
