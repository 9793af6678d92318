using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Bench;

// What one benchmark case computes, independent of who computes it: Tensorlet (TensorletCases) and libtorch (the
// comparison harness in benchmarks/Tensorlet.Benchmarks.Torch, which references this library) build the same
// operation from the same spec, so "the same case" is guaranteed by construction, not by matching names.
//
// Work is counted once here. FLOPs: a multiply-add is 2, a comparison, add or exp is 1. Bytes: what the operation must
// move at least once (inputs read, outputs written, 4 B a float); re-reads a kernel makes from cache are not counted.

/// <summary>One benchmarked operation: its shape, the work it does and whether it runs the backward pass too.</summary>
public abstract record CaseSpec
{
    /// <summary>Floating-point operations of one run.</summary>
    public abstract double Flops { get; }

    /// <summary>Bytes one run must move to or from memory.</summary>
    public abstract double Bytes { get; }

    /// <summary>The shape in words, e.g. "[32, 64, 32, 32] 3×3 → 64".</summary>
    public abstract string Shape { get; }

    /// <summary>
    /// FLOPs Tensorlet's CPU kernels actually perform for one run: <see cref="Flops"/>, except where an algorithm does
    /// less arithmetic than the operation's usual count (a convolution pass run by Winograd). Tensorlet's fraction of
    /// the FMA peak comes from these, so it can not read above 100% however its throughput is quoted.
    /// </summary>
    public virtual double ExecutedFlops => Flops;

    /// <summary>True for cases bound by arithmetic (GEMM, convolution), false for those bound by memory traffic.</summary>
    public virtual bool ComputeBound => false;

    /// <summary>"[a, b, c]".</summary>
    protected static string Dims(params int[] dims) => "[" + string.Join(", ", dims) + "]";
}

/// <summary>C[M, N] = A[M, K] · B[K, N].</summary>
public sealed record GemmSpec(int M, int N, int K) : CaseSpec
{
    public override double Flops => 2.0 * M * N * K;
    public override double Bytes => 4.0 * ((double)M * K + (double)K * N + (double)M * N);
    public override string Shape => $"{M}×{K} · {K}×{N}";
    public override bool ComputeBound => true;
}

/// <summary>
/// 2-D convolution of x [N, C, H, W] with w [K, C/groups, kernel, kernel] and a bias, square stride and padding;
/// with <paramref name="Backward"/>, also the gradients of x, w and the bias (3× the forward FLOPs, bias not counted).
/// </summary>
public sealed record ConvSpec(int N, int C, int K, int H, int W, int Kernel, int Stride, int Padding, int Groups, bool Backward)
    : CaseSpec
{
    public int OutH => (H + 2 * Padding - Kernel) / Stride + 1;
    public int OutW => (W + 2 * Padding - Kernel) / Stride + 1;
    public double ForwardFlops => 2.0 * N * K * OutH * OutW * (C / Groups) * Kernel * Kernel;
    public override double Flops => (Backward ? 3 : 1) * ForwardFlops;
    public override double ExecutedFlops =>
        CpuConvolution.ExecutedFlops(new Conv2dGeometry(N, C, H, W, K, Kernel, Kernel, Stride, Stride, Padding, Padding, 1, 1, Groups), Backward);
    public override double Bytes => 4.0 * (Backward ? 2 : 1) * ((double)N * C * H * W + (double)K * (C / Groups) * Kernel * Kernel + (double)N * K * OutH * OutW);
    public override string Shape => $"{Dims(N, C, H, W)} {Kernel}×{Kernel}/{Stride} → {K}" + (Groups > 1 ? $" g{Groups}" : "");
    public override bool ComputeBound => true;
}

/// <summary>Element-wise op on <paramref name="Count"/> floats laid out as [Count / Channels / Plane, Channels, Plane].</summary>
/// <param name="Op">"add" and "mul" (two tensors), "relu" (one), "add-bias" (a [Channels, 1] tensor broadcast over the rest).</param>
public sealed record ElementwiseSpec(string Op, int Count, int Channels = 64) : CaseSpec
{
    public override double Flops => Count;
    public override double Bytes => Op is "add" or "mul" ? 12.0 * Count : 8.0 * Count + 4.0 * Channels;
    public override string Shape => $"{Count / (1 << 20)}M floats" + (Op == "add-bias" ? $" + [{Channels}, 1]" : "");
}

/// <summary>Reduction of a [Rows, Cols] matrix.</summary>
/// <param name="Op">"sum-all" (to a scalar), "sum-rows" (over dim 1), "sum-cols" (over dim 0), "max-rows" (values and indices over dim 1).</param>
public sealed record ReduceSpec(string Op, int Rows, int Cols) : CaseSpec
{
    private double Count => (double)Rows * Cols;
    public override double Flops => Count;
    public override double Bytes => 4.0 * Count + Op switch { "sum-rows" => 4.0 * Rows, "max-rows" => 8.0 * Rows, "sum-cols" => 4.0 * Cols, _ => 4 };
    public override string Shape => Dims(Rows, Cols);
}

/// <summary>Pooling of x [N, C, H, W]; "max" and "avg" with a square window, "global-avg" to [N, C, 1, 1].</summary>
public sealed record PoolSpec(string Kind, int N, int C, int H, int W, int Kernel, int Stride, int Padding, bool Backward) : CaseSpec
{
    public int OutH => Kind == "global-avg" ? 1 : (H + 2 * Padding - Kernel) / Stride + 1;
    public int OutW => Kind == "global-avg" ? 1 : (W + 2 * Padding - Kernel) / Stride + 1;
    private double Inputs => (double)N * C * H * W;
    private double Outputs => (double)N * C * OutH * OutW;
    public override double Flops => (Kind == "global-avg" ? Inputs : Outputs * Kernel * Kernel) + (Backward ? Inputs : 0);
    public override double Bytes => 4.0 * (Backward ? 2 : 1) * (Inputs + Outputs);
    public override string Shape => Dims(N, C, H, W) + (Kind == "global-avg" ? " → 1×1" : $" {Kernel}×{Kernel}/{Stride}");
}

/// <summary>Batch norm of x [N, C, H, W] with affine parameters, in training mode (batch statistics) or eval mode.</summary>
public sealed record BatchNormSpec(int N, int C, int H, int W, bool Training, bool Backward) : CaseSpec
{
    private double Count => (double)N * C * H * W;
    // Training forward: mean and variance (3 per element), normalise, scale and shift (3); eval: one multiply-add.
    // Backward: x̂, Σgy, Σgy·x̂ and the fused input gradient (9 per element).
    public override double Flops => (Training ? 6 : 2) * Count + (Backward ? 9 * Count : 0);
    public override double Bytes => 8.0 * Count + (Backward ? 12.0 * Count : 0);
    public override string Shape => Dims(N, C, H, W);
}

/// <summary>Row-wise softmax of [Rows, Cols], or cross-entropy of [Rows, Cols] logits against class indices.</summary>
/// <param name="Op">"softmax" or "cross-entropy" (log-softmax and NLL, mean over rows).</param>
public sealed record SoftmaxSpec(string Op, int Rows, int Cols, bool Backward) : CaseSpec
{
    private double Count => (double)Rows * Cols;
    // Forward: max, exp, sum and scale (4 per element); backward: a dot product and a multiply-add (4).
    public override double Flops => 4 * Count + (Backward ? 4 * Count : 0);
    public override double Bytes => Op == "cross-entropy" ? (Backward ? 16.0 : 8.0) * Count : 8.0 * Count + (Backward ? 12.0 * Count : 0);
    public override string Shape => Dims(Rows, Cols);
}

/// <summary>
/// A whole model on a batch of random CIFAR-sized images: with <paramref name="Training"/>, one training step (forward,
/// cross-entropy, backward, SGD with momentum); without, forward-only inference (eval mode, no graph). Images/s is the
/// figure to compare. <paramref name="ForwardFlops"/> is the model's forward FLOPs per image (from Module.Summary on the
/// meta device, <see cref="BenchModels.ForwardFlops"/>); a training step counts 3× that.
/// </summary>
public sealed record ModelSpec(string Model, int Batch, bool Training, int Channels, int Side, double ForwardFlops) : CaseSpec
{
    public override double Flops => (Training ? 3.0 : 1.0) * ForwardFlops * Batch;
    public override double Bytes => 0;
    public override string Shape => $"{Model}, batch {Batch} of [{Channels}, {Side}, {Side}]";
    public override bool ComputeBound => true;

    /// <summary>Images per second at <paramref name="ms"/> per run.</summary>
    public double ImagesPerSecond(double ms) => Batch / (ms / 1000);
}
