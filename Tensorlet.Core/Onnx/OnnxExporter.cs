using Google.Protobuf;
using Onnx;
using Tensorlet.NN;

namespace Tensorlet.Onnx;

/// <summary>
/// Writes a model's eval-mode forward pass as an ONNX file (opset <see cref="Opset"/>): one graph input "input" of the
/// given shape (the batch dimension symbolic, "N", unless fixed), one output "output", and the parameters and batch-norm
/// statistics as initializers named like the state dict. Each module describes its own nodes
/// (<see cref="IOnnxExportable"/>); a module that cannot is reported by path and type before anything is written.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the graphs use.</summary>
    public const int Opset = 17;

    /// <summary>ONNX IR version 8 (the one that came with opset 17).</summary>
    private const long IrVersion = 8;

    /// <summary>Builds the ONNX model of <paramref name="model"/> and writes it to <paramref name="path"/> atomically.</summary>
    /// <param name="inputShape">The input's full shape, batch first, e.g. [1, 3, 32, 32].</param>
    /// <param name="dynamicBatch">Declare the batch dimension as the symbol "N" (any batch size) instead of a fixed size.</param>
    public static void Export(Module model, string path, int[] inputShape, bool dynamicBatch = true)
    {
        var proto = Build(model, inputShape, dynamicBatch);
        IO.AtomicFile.Write(path, stream => proto.WriteTo(stream));
    }

    /// <summary>The ONNX model of <paramref name="model"/> (see <see cref="Export"/>), without writing it.</summary>
    public static ModelProto Build(Module model, int[] inputShape, bool dynamicBatch = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (inputShape is null || inputShape.Length < 2 || inputShape.Any(d => d <= 0))
            throw new ArgumentException(
                $"ONNX export: input shape {(inputShape is null ? "null" : Shape.Format(inputShape))} must have a batch dimension and positive sizes, e.g. [1, 3, 32, 32].",
                nameof(inputShape));
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            var (inputShapes, outputShape) = Trace(model, inputShape);
            var g = new OnnxGraphBuilder(model, inputShapes);
            string output = g.Emit(model, "input");
            g.Graph.Node.Add(new NodeProto { OpType = "Identity", Name = "output", Input = { output }, Output = { "output" } });
            g.Graph.Input.Add(ValueInfo("input", inputShape, dynamicBatch));
            g.Graph.Output.Add(ValueInfo("output", outputShape, dynamicBatch));
            var proto = new ModelProto
            {
                IrVersion = IrVersion,
                ProducerName = "Tensorlet",
                ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
                DocString = $"{model.GetType().Name} exported in eval mode by Tensorlet",
                Graph = g.Graph,
            };
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
            return proto;
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>
    /// Runs the model once on zeros of <paramref name="inputShape"/>, recording the input shape of every module called:
    /// it checks that the shape fits the model and gives ops such as adaptive pooling the sizes their ONNX form needs.
    /// </summary>
    private static (Dictionary<Module, int[]> InputShapes, int[] OutputShape) Trace(Module model, int[] inputShape)
    {
        var shapes = new Dictionary<Module, int[]>(ReferenceEqualityComparer.Instance);
        var hooks = model.NamedModules().Select(m => m.Module).Distinct(ReferenceEqualityComparer.Instance).Cast<Module>()
            .Select(m => m.RegisterForwardPreHook((module, x) => shapes[module] = x.Shape.ToArray())).ToList();
        try
        {
            var device = model.Parameters().FirstOrDefault()?.Device ?? Device.Cpu;
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            var y = model.Call(Tensor.Zeros(inputShape, device));
            return (shapes, y.Shape.ToArray());
        }
        finally
        {
            foreach (var h in hooks) h.Dispose();
        }
    }

    private static ValueInfoProto ValueInfo(string name, IReadOnlyList<int> shape, bool dynamicBatch)
    {
        var tensorShape = new TensorShapeProto();
        for (int i = 0; i < shape.Count; i++)
            tensorShape.Dim.Add(i == 0 && dynamicBatch
                ? new TensorShapeProto.Types.Dimension { DimParam = "N" }
                : new TensorShapeProto.Types.Dimension { DimValue = shape[i] });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape },
            },
        };
    }
}
