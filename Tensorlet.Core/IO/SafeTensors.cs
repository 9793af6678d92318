using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Tensorlet.IO;

/// <summary>
/// The safetensors format (Hugging Face), so weights move between Tensorlet and PyTorch: an 8-byte little-endian
/// header length N, N bytes of UTF-8 JSON <c>{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
/// {string: string}}</c> padded with spaces to a multiple of 8, then the raw little-endian row-major data, each
/// tensor's range relative to the start of the data section, contiguous and in order.
/// Tensorlet writes F32; it reads F32, F64 and I64 (class labels) as float32. Reading validates the whole file first
/// and throws <see cref="InvalidDataException"/> naming the file, the tensor and the offset at fault; a file that cannot
/// be read (a directory, no permission) is an <see cref="IOException"/> naming it.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (in their enumeration order) to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = BuildHeader(tensors, metadata); // before touching the disk: a bad name must not cost a temp file
        AtomicFile.Write(path, stream => WriteBody(stream, header, tensors.Values));
    }

    /// <summary>Writes the safetensors bytes of <paramref name="tensors"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        WriteBody(stream, BuildHeader(tensors, metadata), tensors.Values);

    /// <summary>The tensors of a safetensors file by name, as float32 CPU tensors (or on <paramref name="device"/>).</summary>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null) => Read(path, device).Tensors;

    /// <summary>The tensors and the <c>__metadata__</c> strings of a safetensors file.</summary>
    public static SafeTensorsFile Read(string path, Device? device = null) => Read(path, device, observe: null);

    /// <summary>Only the validated header: names, dtypes, shapes, offsets and metadata, without reading the data.</summary>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        using var stream = InputFile.OpenRead(path);
        try { return SafeTensorsHeaderReader.Read(stream, path); }
        catch (IOException ex) when (ex is not FileNotFoundException) { throw InputFile.CannotRead(path, ex); }
    }

    /// <summary>
    /// Reads the file; <paramref name="observe"/> sees each tensor's raw bytes in data order (checkpoints hash them)
    /// before any tensor is created, so a failed check leaves nothing allocated.
    /// </summary>
    internal static SafeTensorsFile Read(string path, Device? device, Action<SafeTensorInfo, ReadOnlySpan<byte>>? observe)
    {
        using var stream = InputFile.OpenRead(path);
        List<float[]> values;
        SafeTensorsHeader header;
        try { (header, values) = ReadValues(stream, path, observe); }
        catch (IOException ex) when (ex is not FileNotFoundException) { throw InputFile.CannotRead(path, ex); }

        var tensors = new Dictionary<string, Tensor>();
        for (int i = 0; i < values.Count; i++)
            tensors[header.Tensors[i].Name] = Tensor.FromArray(values[i], header.Tensors[i].Shape, device);
        return new SafeTensorsFile(tensors, header.Metadata);
    }

    /// <summary>The validated header and every tensor's values, read in data order from just after the header.</summary>
    private static (SafeTensorsHeader, List<float[]>) ReadValues(Stream stream, string path, Action<SafeTensorInfo, ReadOnlySpan<byte>>? observe)
    {
        var header = SafeTensorsHeaderReader.Read(stream, path);
        foreach (var t in header.Tensors)
            if (t.DType is not ("F32" or "F64" or "I64"))
                throw SafeTensorsHeaderReader.Error(path,
                    $"tensor '{t.Name}' at data offset {t.Begin} has dtype {t.DType}; Tensorlet reads F32, F64 and I64");

        var values = new List<float[]>(header.Tensors.Count);
        foreach (var t in header.Tensors)
        {
            var bytes = new byte[t.ByteLength];
            try { stream.ReadExactly(bytes); }
            catch (EndOfStreamException ex)
            {
                throw SafeTensorsHeaderReader.Error(path, $"tensor '{t.Name}': the file ended inside its data at data offset {t.Begin}", ex);
            }
            observe?.Invoke(t, bytes);
            values.Add(ToFloats(t.DType, bytes));
        }
        return (header, values);
    }

    private static float[] ToFloats(string dtype, byte[] bytes)
    {
        switch (dtype)
        {
            case "F32":
            {
                var result = new float[bytes.Length / 4];
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
                return result;
            }
            case "F64":
            {
                var result = new float[bytes.Length / 8];
                for (int i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * i));
                return result;
            }
            default: // I64: class labels; exact below 2^24 (floats hold indices, see the architecture notes)
            {
                var result = new float[bytes.Length / 8];
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 * i));
                return result;
            }
        }
    }

    /// <summary>The padded header bytes (length prefix included) for F32 tensors laid out in enumeration order.</summary>
    private static byte[] BuildHeader(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) w.WriteString(key, value);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (name == MetadataKey) throw new ArgumentException($"SafeTensors: '{MetadataKey}' is reserved and cannot name a tensor.");
                long end = offset + 4L * tensor.Count;
                w.WriteStartObject(name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (int d in tensor.ShapeSpan) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(end);
                w.WriteEndArray();
                w.WriteEndObject();
                offset = end;
            }
            w.WriteEndObject();
        }
        // Spaces pad the JSON so the data starts 8-byte aligned, as the reference implementation does.
        int padded = (int)((json.Length + 7) / 8 * 8);
        var header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        json.ToArray().CopyTo(header, 8);
        header.AsSpan(8 + (int)json.Length).Fill((byte)' ');
        return header;
    }

    private static void WriteBody(Stream stream, byte[] header, IEnumerable<Tensor> tensors)
    {
        stream.Write(header);
        foreach (var tensor in tensors) stream.Write(LittleEndianBytes(tensor));
    }

    /// <summary>A tensor's elements as little-endian F32 bytes, row-major (the one host copy a save needs).</summary>
    internal static byte[] LittleEndianBytes(Tensor tensor)
    {
        var values = tensor.ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            var bits = MemoryMarshal.Cast<float, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }
}

/// <summary>What <see cref="SafeTensors.Read(string, Device?)"/> returns; disposing it disposes the tensors.</summary>
public sealed record SafeTensorsFile(Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
