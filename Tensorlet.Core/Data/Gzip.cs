using System.Buffers.Binary;
using System.IO.Compression;

namespace Tensorlet.Data;

/// <summary>
/// Gzip decompression that refuses damaged and hostile input. <see cref="GZipStream"/> alone returns a short result
/// without complaint when a file is cut off, and ignores bytes after the last member, so the trailer (CRC-32 and
/// length) is checked here against what was decompressed. Output is bounded while it is produced: never more than
/// the trailer's length, nor than what the content's own header allows (a <see cref="ContentLimit"/>), so a gzip
/// bomb is stopped after at most that many bytes instead of filling memory.
/// </summary>
internal static class Gzip
{
    private const int HeaderSize = 10;
    private const int TrailerSize = 8;
    private const string InGzipFile = "of the gzip file";
    private const string InContent = "of the decompressed data";

    /// <summary>Gzip is recognised by its two magic bytes, whatever the file is called.</summary>
    public static bool HasGzipHeader(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] == 0x1F && data[1] == 0x8B;

    public static byte[] Decompress(byte[] compressed, string name, ContentLimit? limit = null)
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
        var (data, length) = Inflate(compressed, expectedLength, name, limit);

        uint actualCrc = Crc32.Compute(data.AsSpan(0, length));
        if (actualCrc != expectedCrc || (uint)length != expectedLength)
        {
            throw DataFormatError.Create(name, compressed.Length - TrailerSize,
                $"corrupt or truncated gzip stream: the trailer expects {expectedLength} decompressed bytes with CRC-32 0x{expectedCrc:X8}, " +
                $"found {length} bytes with CRC-32 0x{actualCrc:X8} (multi-member gzip files are not supported)",
                InGzipFile);
        }
        return length == data.Length ? data : data.AsSpan(0, length).ToArray();
    }

    /// <summary>Inflates into a buffer that grows by doubling, never past the limit; returns it and the bytes used.</summary>
    private static (byte[] Data, int Length) Inflate(byte[] compressed, uint trailerLength, string name, ContentLimit? limit)
    {
        // A larger file than one array holds cannot be read anyway; the trailer is mod 2^32, so up to here it is exact.
        long max = Math.Min(trailerLength, Array.MaxLength);
        string maxSource = $"its gzip trailer ({trailerLength} bytes)";
        var buffer = new byte[(int)Math.Min(max + 1, 64 * 1024)];
        int length = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            if (limit is not null)
            {
                length = Fill(gzip, ref buffer, length, Math.Min(limit.PrefixLength, max + 1));
                long headerMax = limit.MaxLength(buffer.AsSpan(0, length));
                if (headerMax < max)
                {
                    max = headerMax;
                    maxSource = limit.Source(buffer.AsSpan(0, length).ToArray());
                }
            }
            // One byte past the limit is enough to know the content is too long.
            length = Fill(gzip, ref buffer, length, max + 1);
        }
        catch (InvalidDataException e) when (e.Data[DataFormatError.FileNameKey] is null)
        {
            throw DataFormatError.Create(name, length,
                $"corrupt gzip stream: expected valid deflate data, found an error after {length} decompressed bytes ({e.Message})",
                InContent);
        }
        if (length > max)
        {
            throw DataFormatError.Create(name, max,
                $"the gzip stream decompresses to more than the {max} bytes {maxSource} allows; stopped reading there " +
                "(damaged, or a decompression bomb)", InContent);
        }
        return (buffer, length);
    }

    /// <summary>Reads until <paramref name="target"/> bytes are held or the stream ends; returns the bytes held.</summary>
    private static int Fill(Stream source, ref byte[] buffer, int length, long target)
    {
        while (length < target)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(Math.Max(2L * buffer.Length, 4096), Math.Min(target, Array.MaxLength)));
                if (length == buffer.Length)
                {
                    break;
                }
            }
            int read = source.Read(buffer, length, (int)Math.Min(buffer.Length - length, target - length));
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        return length;
    }
}
