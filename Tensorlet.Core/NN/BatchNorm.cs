using Tensorlet.Onnx;

namespace Tensorlet.NN;

/// <summary>
/// Batch normalisation over the channel axis, like PyTorch's <c>_BatchNorm</c>: parameters <c>weight</c> (γ, ones) and
/// <c>bias</c> (β, zeros) when affine; buffers <c>running_mean</c> (zeros), <c>running_var</c> (ones) and
/// <c>num_batches_tracked</c> (a float scalar) when tracking running statistics. Training normalises with the batch's
/// statistics and updates the running ones; eval normalises with the running ones (or the batch's, when not tracked).
/// </summary>
public abstract class BatchNormBase : Module, IOnnxExportable
{
    protected BatchNormBase(int numFeatures, float eps, float? momentum, bool affine, bool trackRunningStats)
    {
        if (numFeatures <= 0) throw new ArgumentException($"{GetType().Name}: num_features must be positive, got {numFeatures}.");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        using (TensorScope.Suspend())
        {
            if (affine)
            {
                Weight = RegisterParameter("weight", Tensor.Ones([numFeatures]));
                Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures]));
            }
            if (trackRunningStats)
            {
                RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures]));
                RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures]));
                NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([]));
            }
        }
    }

    public int NumFeatures { get; }
    public float Eps { get; }

    /// <summary>Weight of the newest batch in the running statistics; null means a cumulative average (1/num_batches_tracked).</summary>
    public float? Momentum { get; }

    public Tensor? Weight { get; private set; }
    public Tensor? Bias { get; private set; }
    public Tensor? RunningMean { get; private set; }
    public Tensor? RunningVar { get; private set; }
    public Tensor? NumBatchesTracked { get; private set; }
    public bool Affine => Weight != null;
    public bool TrackRunningStats => RunningMean != null;

    /// <summary>Throws unless the input has the rank this layer normalises.</summary>
    protected abstract void CheckInput(Tensor input);

    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        if (input.Size(1) != NumFeatures)
            throw new ArgumentException($"{GetType().Name}({NumFeatures}): input {Shape.Format(input.ShapeSpan)} has {input.Size(1)} channels.");
        float momentum = Momentum ?? 0f;
        if (IsTraining && NumBatchesTracked != null)
        {
            using (GradMode.NoGrad()) NumBatchesTracked.UnaryInPlace<Kernels.Ops.AddScalar>("num_batches_tracked", 1f);
            if (Momentum == null) momentum = 1f / NumBatchesTracked.Item();
        }
        return F.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining || !TrackRunningStats, momentum, Eps);
    }

    /// <summary>
    /// ONNX BatchNormalization in inference mode (running statistics, this layer's eps). A layer without affine
    /// parameters gets constant ones and zeros; one that tracks no statistics normalises with the batch's even in eval
    /// mode, which inference-mode BatchNormalization cannot express.
    /// </summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        if (RunningMean == null || RunningVar == null)
            throw g.Unsupported(this, "track_running_stats=False normalises with batch statistics in eval mode");
        var ones = Enumerable.Repeat(1f, NumFeatures).ToArray();
        string scale = Weight != null ? g.Parameter(this, "weight", Weight) : g.Constant("weight", ones, NumFeatures);
        string shift = Bias != null ? g.Parameter(this, "bias", Bias) : g.Constant("bias", new float[NumFeatures], NumFeatures);
        return g.Node("BatchNormalization",
            [input, scale, shift, g.Parameter(this, "running_mean", RunningMean), g.Parameter(this, "running_var", RunningVar)],
            ("epsilon", Eps));
    }

    /// <summary>One multiply-add per element once the statistics are folded into a scale and a shift.</summary>
    public override double ForwardFlops(int[] inputShape, int[] outputShape) => 2.0 * Shape.Count(inputShape);

    protected override void OnTensorReplaced(string name, Tensor tensor)
    {
        switch (name)
        {
            case "weight": Weight = tensor; break;
            case "bias": Bias = tensor; break;
            case "running_mean": RunningMean = tensor; break;
            case "running_var": RunningVar = tensor; break;
            case "num_batches_tracked": NumBatchesTracked = tensor; break;
        }
    }

    protected override string Describe() =>
        $"{GetType().Name}({NumFeatures}, eps={PyRepr.Float(Eps)}, momentum={(Momentum is float m ? PyRepr.Float(m) : "None")}, " +
        $"affine={PyRepr.Bool(Affine)}, track_running_stats={PyRepr.Bool(TrackRunningStats)})";
}

/// <summary>Batch normalisation of [N, C] features or [N, C, L] sequences, per channel C.</summary>
public sealed class BatchNorm1d(int numFeatures, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats)
{
    protected override void CheckInput(Tensor input)
    {
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"BatchNorm1d: expected 2D or 3D input, got {Shape.Format(input.ShapeSpan)} ({input.Rank}D).");
    }
}

/// <summary>Batch normalisation of [N, C, H, W] images, per channel C (statistics over N, H and W).</summary>
public sealed class BatchNorm2d(int numFeatures, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats)
{
    protected override void CheckInput(Tensor input)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"BatchNorm2d: expected 4D input, got {Shape.Format(input.ShapeSpan)} ({input.Rank}D).");
    }
}
