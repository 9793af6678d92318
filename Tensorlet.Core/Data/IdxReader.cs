using System.Buffers.Binary;

namespace Tensorlet.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic number
/// (0x0000 TT NN: element type TT, NN dimensions), NN big-endian int32 sizes, then the raw
/// elements. Only unsigned-byte images (magic 0x00000803) and labels (0x00000801) are
/// accepted. Files may be gzip-compressed (recognised by content, not by name).
/// Every fault is an <see cref="InvalidDataException"/> naming the file, the offset and
/// what was expected; a file is checked completely before anything is returned. A file that
/// cannot be read is an <see cref="IOException"/> naming it. A gzip file is decompressed only
/// as far as its header's sizes allow, so a decompression bomb costs no more than that.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte, three-dimensional IDX file (count × rows × cols).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte, one-dimensional IDX file (count).</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UnsignedByteType = 0x08;

    public static IdxImages ReadImages(string path) => ParseImages(DataFile.Read(path, Limit(ImagesMagic, "images")));

    /// <summary>Reads images from a stream; <paramref name="name"/> stands for the file in error messages (e.g. a resource name).</summary>
    public static IdxImages ReadImages(Stream stream, string name) =>
        ParseImages(DataFile.Read(stream, name, Limit(ImagesMagic, "images")));

    /// <summary>
    /// Reads labels without a known class count. The class count is then inferred as the largest label + 1, and every
    /// class below it must occur at least once: a gap means a damaged byte (one 200 among labels 0–9) or a file that
    /// holds something else. Pass the class count when a file legitimately lacks some classes.
    /// </summary>
    public static byte[] ReadLabels(string path) => ParseLabels(DataFile.Read(path, Limit(LabelsMagic, "labels")), classCount: null);

    /// <summary>Reads labels and checks that each is below <paramref name="classCount"/>.</summary>
    public static byte[] ReadLabels(string path, int classCount) =>
        ParseLabels(DataFile.Read(path, Limit(LabelsMagic, "labels")), CheckClassCount(classCount));

    /// <summary>Reads labels from a stream, inferring the class count as <see cref="ReadLabels(string)"/> does.</summary>
    public static byte[] ReadLabels(Stream stream, string name) =>
        ParseLabels(DataFile.Read(stream, name, Limit(LabelsMagic, "labels")), classCount: null);

    /// <summary>Reads labels and checks that each is below <paramref name="classCount"/>.</summary>
    public static byte[] ReadLabels(Stream stream, string name, int classCount) =>
        ParseLabels(DataFile.Read(stream, name, Limit(LabelsMagic, "labels")), CheckClassCount(classCount));

    private static int CheckClassCount(int classCount) =>
        classCount is >= 1 and <= 256
            ? classCount
            : throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "an unsigned-byte label file holds 1 to 256 classes");

    /// <summary>
    /// The content may be no longer than its header says (header + product of the sizes), so decompressing a gzip
    /// bomb stops there. A content shorter than the header is complete already and fails to parse.
    /// </summary>
    private static ContentLimit Limit(int magic, string kind)
    {
        int dimensionCount = magic & 0xFF;
        int headerSize = HeaderSize(dimensionCount);
        return new ContentLimit(headerSize, MaxLength, Source);

        long MaxLength(ReadOnlySpan<byte> prefix)
        {
            if (prefix.Length < headerSize)
            {
                return long.MaxValue;
            }
            Int128 total = 1;
            for (int i = 0; i < dimensionCount; i++)
            {
                total *= Math.Max(0, BinaryPrimitives.ReadInt32BigEndian(prefix[(4 + 4 * i)..]));
            }
            return (long)Int128.Min(headerSize + total, long.MaxValue);
        }

        string Source(byte[] prefix) =>
            $"its IDX {kind} header ({string.Join(" × ", Enumerable.Range(0, dimensionCount).Select(i => BinaryPrimitives.ReadInt32BigEndian(prefix.AsSpan(4 + 4 * i))))} after {headerSize} header bytes)";
    }

    private static IdxImages ParseImages(DataFile file)
    {
        int[] dims = ReadHeader(file, ImagesMagic, "images");
        int headerSize = HeaderSize(dims.Length);
        return new IdxImages(dims[0], dims[1], dims[2], file.Bytes.AsSpan(headerSize).ToArray());
    }

    private static byte[] ParseLabels(DataFile file, int? classCount)
    {
        int[] dims = ReadHeader(file, LabelsMagic, "labels");
        int headerSize = HeaderSize(dims.Length);
        if (classCount is int classes)
        {
            file.CheckLabels(headerSize, 1, dims[0], classes, "label");
        }
        else
        {
            CheckInferredClasses(file, headerSize, dims[0]);
        }
        return file.Bytes.AsSpan(headerSize).ToArray();
    }

    /// <summary>Every class from 0 to the largest label must occur; names the largest label and the first missing class.</summary>
    private static void CheckInferredClasses(DataFile file, int headerSize, int count)
    {
        var labels = file.Bytes.AsSpan(headerSize, count);
        var seen = new bool[256];
        int maxIndex = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            seen[labels[i]] = true;
            if (labels[i] > labels[maxIndex])
            {
                maxIndex = i;
            }
        }
        int max = labels[maxIndex];
        int missing = Array.IndexOf(seen, false, 0, max + 1);
        if (missing >= 0)
        {
            throw file.Error(headerSize + maxIndex,
                $"label {maxIndex}: {max} implies {max + 1} classes, but class {missing} never occurs; " +
                "without a class count every class from 0 to the largest label must occur (pass the class count if some legitimately do not)");
        }
    }

    private static int HeaderSize(int dimensionCount) => 4 + 4 * dimensionCount;

    /// <summary>Validates magic, sizes and total length; returns the dimension sizes.</summary>
    private static int[] ReadHeader(DataFile file, int expectedMagic, string kind)
    {
        string expected = $"expected IDX magic 0x{expectedMagic:X8} (unsigned-byte {kind})";
        file.RequireLength(4, $"IDX header ({expected})");
        byte[] b = file.Bytes;
        if (b[0] != 0 || b[1] != 0)
        {
            throw file.Error(0, $"{expected}, found 0x{file.ReadInt32BigEndian(0):X8}; this is not an IDX file");
        }
        if (b[2] != UnsignedByteType)
        {
            throw file.Error(2, $"element type: {expected}, whose type byte is 0x08 (unsigned byte); found 0x{b[2]:X2} ({TypeName(b[2])})");
        }
        int dimensionCount = expectedMagic & 0xFF;
        if (b[3] != dimensionCount)
        {
            string hint = b[3] switch
            {
                1 => "; this looks like a labels file",
                3 => "; this looks like an images file",
                _ => "",
            };
            throw file.Error(3, $"dimension count: {expected}, i.e. {dimensionCount} dimension(s); found {b[3]}{hint}");
        }

        int headerSize = HeaderSize(dimensionCount);
        file.RequireLength(headerSize, $"IDX header ({dimensionCount} dimension sizes after the magic)");
        var dims = new int[dimensionCount];
        Int128 payload = 1; // exact: three int32 sizes cannot overflow 128 bits
        for (int i = 0; i < dimensionCount; i++)
        {
            int offset = 4 + 4 * i;
            dims[i] = file.ReadInt32BigEndian(offset);
            if (dims[i] < 0)
            {
                throw file.Error(offset, $"size of dimension {i}: expected a non-negative int32, found {dims[i]}");
            }
            payload *= dims[i];
        }
        if (dims[0] == 0)
        {
            throw file.Error(4, $"item count: expected at least one {kind[..^1]}, found 0 (an empty dataset cannot be trained or evaluated)");
        }
        if (dimensionCount == 3 && (dims[1] == 0 || dims[2] == 0))
        {
            throw file.Error(8, $"image size: expected positive rows and columns, found {dims[1]} × {dims[2]}");
        }
        if (dimensionCount == 3 && (long)dims[1] * dims[2] > Array.MaxLength)
        {
            throw file.Error(8, $"image size: {dims[1]} × {dims[2]} pixels per image is more than one array holds ({Array.MaxLength})");
        }

        Int128 available = file.Length - headerSize;
        if (available < payload)
        {
            throw file.Error(file.Length,
                $"truncated file: expected {payload} bytes of {kind} data after the {headerSize}-byte header ({string.Join(" × ", dims)}), found {available}");
        }
        if (available > payload)
        {
            throw file.Error(headerSize + (long)payload,
                $"trailing data: expected the file to end after {payload} bytes of {kind} data ({string.Join(" × ", dims)}), found {available - payload} more bytes");
        }
        return dims;
    }

    private static string TypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };
}
