using System.Buffers.Binary;
using System.IO.Compression;

namespace Tensorlet.Tests.Data;

/// <summary>Builds small dataset files byte by byte, so the readers are tested against the formats, not against themselves.</summary>
internal static class DataTestFiles
{
    public static byte[] IdxHeader(int magic, params int[] dims)
    {
        var header = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dims[i]);
        }
        return header;
    }

    /// <summary>An IDX images file whose pixel i holds (seed + i) mod 256.</summary>
    public static byte[] IdxImages(int count, int rows, int cols, int seed = 0) =>
        [.. IdxHeader(0x803, count, rows, cols), .. Pattern(count * rows * cols, seed)];

    public static byte[] IdxLabels(params byte[] labels) => [.. IdxHeader(0x801, labels.Length), .. labels];

    public static byte[] Pattern(int length, int seed = 0) =>
        Enumerable.Range(0, length).Select(i => (byte)((seed + i) % 256)).ToArray();

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }
}
