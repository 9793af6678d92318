using Tensorlet.Onnx;

namespace Tensorlet.NN;

/// <summary>
/// y = x·Wᵀ + b with W of shape [out, in] (PyTorch's layout, so weights exchange directly). Initialised like
/// PyTorch: W and b uniform in ±1/√in.
/// </summary>
public sealed class Linear : Module, IOnnxExportable
{
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentException($"Linear: feature counts must be positive, got in={inFeatures}, out={outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var gen = generator ?? Generator.Default;
        float bound = 1f / MathF.Sqrt(inFeatures);
        using (TensorScope.Suspend())
        {
            Weight = RegisterParameter("weight", Init.Uniform([outFeatures, inFeatures], -bound, bound, gen));
            if (bias) Bias = RegisterParameter("bias", Init.Uniform([outFeatures], -bound, bound, gen));
        }
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; private set; }
    public Tensor? Bias { get; private set; }

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank == 0 || input.Size(-1) != InFeatures)
            throw new ArgumentException(
                $"Linear({InFeatures} → {OutFeatures}): input shape {Shape.Format(input.ShapeSpan)} does not end in {InFeatures} features.");
        var y = input.MatMul(Weight.T);
        return Bias == null ? y : y.Add(Bias);
    }

    /// <summary>ONNX Gemm(x, W, b) with transB = 1 (W stays in PyTorch's [out, in] layout); for [N, in] inputs.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        int rank = g.InputShapeOf(this).Length;
        if (rank != 2) throw g.Unsupported(this, $"Gemm takes [N, {InFeatures}] inputs, this layer received a {rank}-D one");
        var inputs = new List<string> { input, g.Parameter(this, "weight", Weight) };
        if (Bias != null) inputs.Add(g.Parameter(this, "bias", Bias));
        return g.Node("Gemm", inputs, ("transB", 1));
    }

    public override double ForwardFlops(int[] inputShape, int[] outputShape) =>
        2.0 * Shape.Count(outputShape) * InFeatures;

    protected override void OnTensorReplaced(string name, Tensor tensor)
    {
        if (name == "weight") Weight = tensor;
        else Bias = tensor;
    }

    protected override string Describe() => $"Linear(in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias != null ? "True" : "False")})";
}
