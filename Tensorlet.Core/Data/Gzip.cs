using System.Buffers.Binary;
using System.IO.Compression;

namespace Tensorlet.Data;

/// <summary>
/// Gzip decompression that refuses damaged input. <see cref="GZipStream"/> alone returns a short
/// result without complaint when a file is cut off, and ignores bytes after the last member, so
/// the trailer (CRC-32 and length) is checked here against what was decompressed.
/// </summary>
internal static class Gzip
{
    private const int HeaderSize = 10;
    private const int TrailerSize = 8;
    private const string InGzipFile = "of the gzip file";

    /// <summary>Gzip is recognised by its two magic bytes, whatever the file is called.</summary>
    public static bool HasGzipHeader(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] == 0x1F && data[1] == 0x8B;

    public static byte[] Decompress(byte[] compressed, string name)
    {
        if (compressed.Length < HeaderSize + TrailerSize)
        {
            throw DataFormatError.Create(name, compressed.Length,
                $"truncated gzip stream: expected at least {HeaderSize + TrailerSize} bytes (header and trailer), found {compressed.Length}",
                InGzipFile);
        }
        if (compressed[2] != 8)
        {
            throw DataFormatError.Create(name, 2,
                $"gzip compression method: expected 8 (deflate), found {compressed[2]}", InGzipFile);
        }

        uint expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 8));
        uint expectedLength = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
        byte[] data = Inflate(compressed, expectedLength, name);

        uint actualCrc = Crc32.Compute(data);
        if (actualCrc != expectedCrc || (uint)data.Length != expectedLength)
        {
            throw DataFormatError.Create(name, compressed.Length - TrailerSize,
                $"corrupt or truncated gzip stream: the trailer expects {expectedLength} decompressed bytes with CRC-32 0x{expectedCrc:X8}, " +
                $"found {data.Length} bytes with CRC-32 0x{actualCrc:X8} (multi-member gzip files are not supported)",
                InGzipFile);
        }
        return data;
    }

    private static byte[] Inflate(byte[] compressed, uint lengthHint, string name)
    {
        // The trailer length is only a hint here (it may be garbage); cap it so a damaged file cannot force a huge allocation.
        int capacity = (int)Math.Min(lengthHint, 64u * compressed.Length + 1024);
        using var output = new MemoryStream(capacity);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            gzip.CopyTo(output);
        }
        catch (InvalidDataException e)
        {
            throw DataFormatError.Create(name, output.Length,
                $"corrupt gzip stream: expected valid deflate data, found an error after {output.Length} decompressed bytes ({e.Message})",
                "of the decompressed data");
        }
        return output.Length == output.Capacity ? output.GetBuffer() : output.ToArray();
    }
}
