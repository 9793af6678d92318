namespace Tensorlet.IO;

/// <summary>
/// One tensor's entry in a safetensors header: its dtype name ("F32", "I64", ...), shape, and byte range
/// [<see cref="Begin"/>, <see cref="End"/>) relative to the start of the data section.
/// </summary>
public sealed record SafeTensorInfo(string Name, string DType, int[] Shape, long Begin, long End)
{
    /// <summary>Bytes per element of each dtype the format defines (reading converts only F32, F64 and I64).</summary>
    internal static readonly IReadOnlyDictionary<string, int> DTypeSizes = new Dictionary<string, int>
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1,
        ["U64"] = 8, ["U32"] = 4, ["U16"] = 2, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Number of elements (1 for a scalar of shape []).</summary>
    public long Count => Shape.Aggregate(1L, (n, d) => n * d);

    public long ByteLength => End - Begin;
}

/// <summary>The validated header of a safetensors file: tensor entries in data order, and the string metadata.</summary>
public sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataStart);
