using Google.Protobuf;
using Onnx;
using Tensorlet.NN;

namespace Tensorlet.Onnx;

/// <summary>
/// Collects the nodes and initializers of one exported graph (ONNX's <c>GraphProto</c>). Modules add their nodes with
/// <see cref="Node"/> and the shortcuts below, their weights with <see cref="Parameter"/> (named by the state dict, so
/// <c>layer1.0.conv1.weight</c> in the ONNX file is the same tensor as in the safetensors file), and their children
/// with <see cref="Emit"/>. Shapes seen by each module during the exporter's trace pass are available through
/// <see cref="InputShapeOf"/> for the few ops whose ONNX form depends on them.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly Dictionary<Module, string> _paths = new(ReferenceEqualityComparer.Instance);
    private readonly IReadOnlyDictionary<Module, int[]> _inputShapes;
    private readonly HashSet<string> _initializers = new();
    private readonly Stack<string> _scope = new();
    private int _counter;

    internal OnnxGraphBuilder(Module root, IReadOnlyDictionary<Module, int[]> inputShapes)
    {
        foreach (var (name, module) in root.NamedModules()) _paths.TryAdd(module, name);
        _inputShapes = inputShapes;
    }

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph { get; } = new() { Name = "tensorlet" };

    /// <summary>
    /// Adds <paramref name="module"/>'s nodes on <paramref name="input"/> and returns its output's name. Throws
    /// <see cref="NotSupportedException"/> naming the module's path and type when it has no ONNX form.
    /// </summary>
    public string Emit(Module module, string input)
    {
        if (module is not IOnnxExportable exportable)
            throw Unsupported(module, $"{module.GetType().Name} does not implement {nameof(IOnnxExportable)}");
        _scope.Push(PathOf(module));
        try { return exportable.ExportOnnx(this, input); }
        finally { _scope.Pop(); }
    }

    /// <summary>Adds every module of <paramref name="modules"/> in order, each on the previous one's output.</summary>
    public string EmitChain(IEnumerable<Module> modules, string input)
    {
        foreach (var m in modules) input = Emit(m, input);
        return input;
    }

    /// <summary>The module's dotted name in the exported model ("" for the model itself).</summary>
    public string PathOf(Module module) =>
        _paths.TryGetValue(module, out var path) ? path : (_scope.Count > 0 ? _scope.Peek() + "." : "") + module.GetType().Name;

    /// <summary>The input shape <paramref name="module"/> received in the trace pass (batch included).</summary>
    public int[] InputShapeOf(Module module) =>
        _inputShapes.TryGetValue(module, out var shape)
            ? shape
            : throw Unsupported(module, "its input shape is unknown (it was not called through Module.Call during the trace pass)");

    /// <summary>The error for a module (or a setting of it) that has no ONNX form.</summary>
    public NotSupportedException Unsupported(Module module, string why)
    {
        string path = PathOf(module);
        return new NotSupportedException(
            $"ONNX export: module '{(path.Length == 0 ? "(model)" : path)}' ({module.GetType().Name}) cannot be exported: {why}.");
    }

    /// <summary>
    /// Adds one node of <paramref name="opType"/> (ONNX's default domain) and returns its output's name. Attribute values
    /// may be int, long, float, string, int[] or long[].
    /// </summary>
    public string Node(string opType, IEnumerable<string> inputs, params (string Name, object Value)[] attributes)
    {
        string scope = _scope.Count > 0 && _scope.Peek().Length > 0 ? _scope.Peek() : "model";
        string output = $"{scope}/{opType}_{_counter++}";
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        Graph.Node.Add(node);
        return output;
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(v => (long)v)); break;
            case long[] longs: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(longs); break;
            default: throw new ArgumentException($"ONNX attribute '{name}': unsupported value type {value.GetType().Name}.");
        }
        return a;
    }

    /// <summary>
    /// The initializer holding <paramref name="owner"/>'s tensor <paramref name="name"/> (e.g. "weight"), named by the
    /// state dict; added once however often it is used.
    /// </summary>
    public string Parameter(Module owner, string name, Tensor value)
    {
        string path = PathOf(owner);
        string full = path.Length == 0 ? name : path + "." + name;
        if (_initializers.Add(full)) Graph.Initializer.Add(FloatTensor(full, value.Shape, IO.SafeTensors.LittleEndianBytes(value)));
        return full;
    }

    /// <summary>A float constant of shape <paramref name="dims"/>, named after the current module and <paramref name="hint"/>.</summary>
    public string Constant(string hint, float[] values, params int[] dims)
    {
        string name = UniqueName(hint);
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(float)), values[i]);
        Graph.Initializer.Add(FloatTensor(name, dims, bytes));
        return name;
    }

    /// <summary>A 1-D int64 constant (shapes, axes, pads, slice bounds).</summary>
    public string Constant(string hint, params long[] values)
    {
        string name = UniqueName(hint);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        Graph.Initializer.Add(t);
        return name;
    }

    private string UniqueName(string hint)
    {
        string scope = _scope.Count > 0 && _scope.Peek().Length > 0 ? _scope.Peek() : "model";
        return $"{scope}/{hint}_{_counter++}";
    }

    private static TensorProto FloatTensor(string name, IReadOnlyList<int> dims, byte[] littleEndian)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX export writes raw little-endian data and runs on little-endian machines only.");
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(littleEndian) };
        t.Dims.AddRange(dims.Select(d => (long)d));
        return t;
    }

    // ---- shortcuts for the nodes models use between their children ----

    /// <summary>max(x, 0).</summary>
    public string Relu(string x) => Node("Relu", [x]);

    /// <summary>1/(1 + e^−x).</summary>
    public string Sigmoid(string x) => Node("Sigmoid", [x]);

    /// <summary>a + b (NumPy broadcasting).</summary>
    public string Add(string a, string b) => Node("Add", [a, b]);

    /// <summary>a · b (NumPy broadcasting).</summary>
    public string Mul(string a, string b) => Node("Mul", [a, b]);

    /// <summary>Concatenation along <paramref name="axis"/>; a single input is returned as it is.</summary>
    public string Concat(IReadOnlyList<string> inputs, int axis = 1) =>
        inputs.Count == 1 ? inputs[0] : Node("Concat", inputs, ("axis", axis));

    /// <summary>[N, C, H, W] → [N, C, 1, 1]: the mean over H and W (<c>x.Mean([2, 3], keepDim: true)</c>).</summary>
    public string GlobalAveragePool(string x) => Node("GlobalAveragePool", [x]);

    /// <summary>[N, d1, d2, ...] → [N, d1·d2·…] (<c>x.Flatten(1)</c>).</summary>
    public string Flatten(string x) => Node("Flatten", [x], ("axis", 1));
}
