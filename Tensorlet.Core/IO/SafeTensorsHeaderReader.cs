using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Tensorlet.IO;

/// <summary>
/// Reads and validates the header of a safetensors file, trusting nothing: the length against the file size, the
/// JSON and every entry's fields, each tensor's byte size against its shape and dtype, and that the tensors tile the
/// data section exactly — contiguous from 0, no overlap, no gap, nothing missing or left over. Each error is an
/// <see cref="InvalidDataException"/> naming the file, the tensor and the offset at fault.
/// </summary>
internal static class SafeTensorsHeaderReader
{
    /// <summary>The reference implementation's limit; a larger header is a corrupt length, not a real header.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SafeTensorsHeader Read(Stream stream, string file)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Error(file, $"the file is {fileLength} bytes, too short for the 8-byte header length at offset 0");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength < 2 || headerLength > MaxHeaderLength || headerLength > (ulong)(fileLength - 8))
            throw Error(file, $"header length {headerLength} at offset 0 is impossible: the file has {fileLength - 8} bytes after it " +
                              $"and a header takes 2 to {MaxHeaderLength} bytes (truncated or not a safetensors file?)");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        long dataStart = 8 + (long)headerLength;
        return Parse(headerBytes, file, dataStart, fileLength - dataStart);
    }

    private static SafeTensorsHeader Parse(byte[] headerBytes, string file, long dataStart, long dataLength)
    {
        string json;
        try { json = StrictUtf8.GetString(headerBytes); }
        catch (DecoderFallbackException ex)
        {
            throw Error(file, $"the header (offsets 8 to {dataStart}) is not valid UTF-8 near header byte {ex.Index}", ex);
        }
        CheckStrings(headerBytes, file);
        using var doc = ParseJson(json, file);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw Error(file, $"the header at offset 8 is a JSON {doc.RootElement.ValueKind}, expected an object");

        var tensors = new List<SafeTensorInfo>();
        var metadata = new Dictionary<string, string>();
        var seen = new HashSet<string>();
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (!seen.Add(property.Name)) throw Error(file, $"the header names '{property.Name}' twice");
            if (property.Name == "__metadata__") ReadMetadata(property.Value, file, metadata);
            else tensors.Add(ReadEntry(property.Name, property.Value, file));
        }
        CheckLayout(tensors, file, dataStart, dataLength);
        return new SafeTensorsHeader(tensors, metadata, dataStart);
    }

    /// <summary>
    /// JSON lets a string escape a lone UTF-16 surrogate ("\ud800"), which parses but cannot become a .NET string: the
    /// reader's GetString would throw InvalidOperationException later, far from the file. Every name and string is
    /// decoded here once, so such a header fails with the file, the offset and the entry it is in.
    /// </summary>
    private static void CheckStrings(byte[] headerBytes, string file)
    {
        var reader = new Utf8JsonReader(headerBytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        string entry = "(top level)";
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String)) continue;
                try
                {
                    string text = reader.GetString()!;
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1) entry = $"'{text}'";
                }
                catch (InvalidOperationException ex)
                {
                    string raw = Encoding.UTF8.GetString(reader.ValueSpan[..Math.Min(reader.ValueSpan.Length, 60)]);
                    throw Error(file, $"the {(reader.TokenType == JsonTokenType.PropertyName ? "name" : "string")} \"{raw}\" at offset " +
                                      $"{8 + reader.TokenStartIndex} (in entry {entry}) is not valid text: it escapes a lone UTF-16 surrogate", ex);
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is reported by the full parse that follows, with its line and position.
        }
    }

    private static JsonDocument ParseJson(string json, string file)
    {
        try { return JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow }); }
        catch (JsonException ex)
        {
            throw Error(file, $"the header at offset 8 is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {ex.Message}", ex);
        }
    }

    private static void ReadMetadata(JsonElement element, string file, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Error(file, $"__metadata__ is a JSON {element.ValueKind}, expected an object of strings");
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Error(file, $"__metadata__ entry '{entry.Name}' is a JSON {entry.Value.ValueKind}, expected a string");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw Error(file, $"__metadata__ names '{entry.Name}' twice");
        }
    }

    private static SafeTensorInfo ReadEntry(string name, JsonElement element, string file)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Error(file, $"tensor '{name}': entry is a JSON {element.ValueKind}, expected {{dtype, shape, data_offsets}}");
        string? dtype = null;
        int[]? shape = null;
        long[]? offsets = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtype == null && field.Value.ValueKind == JsonValueKind.String:
                    dtype = field.Value.GetString()!;
                    break;
                case "shape" when shape == null:
                    shape = IntegerArray(field.Value, name, "shape", file, int.MaxValue).Select(d => (int)d).ToArray();
                    break;
                case "data_offsets" when offsets == null:
                    offsets = IntegerArray(field.Value, name, "data_offsets", file, long.MaxValue);
                    break;
                default:
                    throw Error(file, $"tensor '{name}': unexpected or repeated field '{field.Name}' ({field.Value.ValueKind})");
            }
        }
        if (dtype == null || shape == null || offsets == null)
            throw Error(file, $"tensor '{name}': missing field '{(dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets")}'");
        if (!SafeTensorInfo.DTypeSizes.ContainsKey(dtype))
            throw Error(file, $"tensor '{name}': unknown dtype '{dtype}'");
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw Error(file, $"tensor '{name}': data_offsets [{string.Join(", ", offsets)}] must be [begin, end] with begin <= end");
        return new SafeTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] IntegerArray(JsonElement element, string name, string field, string file, long max)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw Error(file, $"tensor '{name}': {field} is a JSON {element.ValueKind}, expected an array of integers");
        var values = new List<long>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0 || v > max)
                throw Error(file, $"tensor '{name}': {field} holds {item.GetRawText()}, expected an integer in [0, {max}]");
            values.Add(v);
        }
        return values.ToArray();
    }

    private static void CheckLayout(List<SafeTensorInfo> tensors, string file, long dataStart, long dataLength)
    {
        foreach (var t in tensors)
        {
            long count;
            try { count = checked(t.Shape.Aggregate(1L, (n, d) => n * d)); }
            catch (OverflowException) { throw Error(file, $"tensor '{t.Name}': shape [{string.Join(", ", t.Shape)}] overflows"); }
            if (count > int.MaxValue)
                throw Error(file, $"tensor '{t.Name}': {count} elements, more than a tensor holds ({int.MaxValue})");
            long expected = count * SafeTensorInfo.DTypeSizes[t.DType];
            if (t.ByteLength != expected)
                throw Error(file, $"tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] span {t.ByteLength} bytes, but {t.DType} " +
                                  $"shape [{string.Join(", ", t.Shape)}] needs {expected}");
            if (t.End > dataLength)
                throw Error(file, $"tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] end past the data section, which holds " +
                                  $"{dataLength} bytes from file offset {dataStart} (truncated file?)");
        }
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long next = 0;
        SafeTensorInfo? previous = null;
        foreach (var t in tensors)
        {
            if (t.Begin < next)
                throw Error(file, $"tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] overlap tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]");
            if (t.Begin > next)
                throw Error(file, $"tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] leave a gap after data offset {next}; tensors must be contiguous");
            next = t.End;
            previous = t;
        }
        if (next != dataLength)
            throw Error(file, $"the tensors cover {next} bytes but the data section (from file offset {dataStart}) holds {dataLength}: " +
                              $"{dataLength - next} unexplained bytes at data offset {next}");
    }

    public static InvalidDataException Error(string file, string message, Exception? inner = null) =>
        new($"{file}: invalid safetensors file: {message}.", inner);
}
