using System.Buffers.Binary;

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

    public static DataFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        return FromBytes(File.ReadAllBytes(path), path);
    }

    public static DataFile Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return FromBytes(buffer.ToArray(), name);
    }

    private static DataFile FromBytes(byte[] raw, string name) =>
        Gzip.HasGzipHeader(raw)
            ? new DataFile(name, Gzip.Decompress(raw, name), wasGzip: true)
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
