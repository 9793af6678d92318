using System.Buffers.Binary;
using Tensorlet.IO;

namespace Tensorlet.Data;

/// <summary>
/// The whole content of one dataset file in memory (decompressed if it was gzip), with the
/// helpers the IDX and CIFAR readers share: big-endian fields, label range checks, and errors
/// that carry the file name and offset. Files are validated in full before any data is
/// returned, so a reader never hands out a half-read dataset.
/// </summary>
internal sealed class DataFile
{
    private DataFile(string name, byte[] bytes, bool wasGzip)
    {
        Name = name;
        Bytes = bytes;
        WasGzip = wasGzip;
    }

    public string Name { get; }

    /// <summary>The decompressed content.</summary>
    public byte[] Bytes { get; }

    public bool WasGzip { get; }

    public int Length => Bytes.Length;

    /// <summary>
    /// Reads <paramref name="path"/>, decompressing it if it is gzip. <paramref name="limit"/> says, from the first
    /// bytes of the content (a header), how long the content may legitimately be, so decompression stops there
    /// instead of expanding a gzip bomb into memory.
    /// </summary>
    public static DataFile Read(string path, ContentLimit? limit = null) => FromBytes(InputFile.ReadAllBytes(path), path, limit);

    public static DataFile Read(Stream stream, string name, ContentLimit? limit = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return FromBytes(buffer.ToArray(), name, limit);
    }

    private static DataFile FromBytes(byte[] raw, string name, ContentLimit? limit) =>
        Gzip.HasGzipHeader(raw)
            ? new DataFile(name, Gzip.Decompress(raw, name, limit), wasGzip: true)
            : new DataFile(name, raw, wasGzip: false);

    /// <summary>An error at <paramref name="offset"/>; offsets of gzip files refer to the decompressed bytes.</summary>
    public InvalidDataException Error(long offset, string detail) =>
        DataFormatError.Create(Name, offset, detail, WasGzip ? "of the decompressed data" : null);

    /// <summary>Fails unless at least <paramref name="count"/> bytes exist from the start of the file.</summary>
    public void RequireLength(int count, string what)
    {
        if (Length < count)
        {
            throw Error(Length, $"truncated {what}: expected {count} bytes, found {Length}");
        }
    }

    public int ReadInt32BigEndian(int offset) => BinaryPrimitives.ReadInt32BigEndian(Bytes.AsSpan(offset, 4));

    /// <summary>
    /// Checks the labels stored at <paramref name="firstOffset"/>, <paramref name="firstOffset"/> + stride, ...
    /// against <paramref name="classCount"/>, naming the first bad one by index and offset.
    /// </summary>
    public void CheckLabels(int firstOffset, int stride, int count, int classCount, string what)
    {
        for (int i = 0; i < count; i++)
        {
            int offset = firstOffset + i * stride;
            if (Bytes[offset] >= classCount)
            {
                throw Error(offset, $"{what} {i}: expected a class in 0..{classCount - 1}, found {Bytes[offset]}");
            }
        }
    }
}
