using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Batch normalisation over contiguous [N, C, HW], one thread group per channel (groups loop over channels when there
/// are more channels than groups). A channel's M = N·HW elements are split over the group's threads in a fixed
/// interleaved order; each thread sums its share, and a shared-memory tree adds the partial sums — the same tree every
/// run, so results are deterministic. The forward pass makes two such reductions (mean, then the squared deviations
/// from it), so a large mean does not cancel away the digits of a small variance, then writes y; the backward pass
/// makes one double reduction (Σgy, Σgy·(x − μ)), then writes gradX. Sums stay in float32, since OpenCL devices may
/// lack float64; the mean is summed as deviations from the channel's first element, so a large mean does not make
/// every partial sum large and round away the digits that the normalised values depend on.
/// </summary>
internal sealed class BatchNormKernels
{
    /// <summary>The most threads a group uses; the shared arrays are sized for it.</summary>
    private const int MaxThreads = 256;

    private readonly Action<AcceleratorStream, KernelConfig, BatchNormOperands> _forward;
    private readonly Action<AcceleratorStream, KernelConfig, BatchNormOperands> _backward;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<BatchNormOperands>)ForwardKernel,
        (Action<BatchNormOperands>)BackwardKernel,
    ];

    public BatchNormKernels(Accelerator accelerator)
    {
        _forward = accelerator.LoadKernel<BatchNormOperands>(ForwardKernel);
        _backward = accelerator.LoadKernel<BatchNormOperands>(BackwardKernel);
    }

    /// <summary>
    /// The operands of both passes: Y is y (forward) or gradX (backward); the Has* flags mark the optional buffers
    /// given (a missing one is an empty view).
    /// </summary>
    internal struct BatchNormOperands
    {
        public ArrayView<float> X, GradY, Y, Gamma, Beta, RunningMean, RunningVar, SaveMean, SaveInvStd, GradGamma, GradBeta;
        public int XOffset, GradYOffset, YOffset, N, C, HW;
        public int HasY, HasGamma, HasBeta, HasRunningMean, HasRunningVar, HasGradGamma, HasGradBeta, UseBatchStats;
        public float Momentum, Eps;
    }

    // Per-channel vectors arrive as views of their C floats; an absent one is the empty view.
    public void Forward(GpuBackend backend, int n, int c, int hw, DeviceBuffer x, int xOffset, ArrayView<float> gamma, ArrayView<float> beta,
                        ArrayView<float> runningMean, ArrayView<float> runningVar, bool useBatchStats, float momentum, float eps,
                        DeviceBuffer y, int yOffset, ArrayView<float> saveMean, ArrayView<float> saveInvStd)
    {
        var p = new BatchNormOperands
        {
            X = GpuBackend.View(x), Y = GpuBackend.View(y), Gamma = gamma, Beta = beta, RunningMean = runningMean, RunningVar = runningVar,
            SaveMean = saveMean, SaveInvStd = saveInvStd,
            XOffset = xOffset, YOffset = yOffset, N = n, C = c, HW = hw,
            HasY = 1, HasGamma = Flag(gamma), HasBeta = Flag(beta), HasRunningMean = Flag(runningMean), HasRunningVar = Flag(runningVar),
            UseBatchStats = useBatchStats ? 1 : 0, Momentum = momentum, Eps = eps,
        };
        _forward(backend.Stream, Config(backend, c), p);
    }

    public void Backward(GpuBackend backend, int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gradYOffset,
                         ArrayView<float> gamma, ArrayView<float> saveMean, ArrayView<float> saveInvStd, bool useBatchStats,
                         DeviceBuffer? gradX, int gradXOffset, ArrayView<float> gradGamma, ArrayView<float> gradBeta)
    {
        var p = new BatchNormOperands
        {
            X = GpuBackend.View(x), GradY = GpuBackend.View(gradY), Y = GpuBackend.ViewOrEmpty(gradX), Gamma = gamma,
            GradGamma = gradGamma, GradBeta = gradBeta, SaveMean = saveMean, SaveInvStd = saveInvStd,
            XOffset = xOffset, GradYOffset = gradYOffset, YOffset = gradXOffset, N = n, C = c, HW = hw,
            HasY = Flag(gradX), HasGamma = Flag(gamma), HasGradGamma = Flag(gradGamma), HasGradBeta = Flag(gradBeta),
            UseBatchStats = useBatchStats ? 1 : 0,
        };
        _backward(backend.Stream, Config(backend, c), p);
    }

    private static int Flag(DeviceBuffer? buffer) => buffer == null ? 0 : 1;

    private static int Flag(ArrayView<float> view) => view.Length > 0 ? 1 : 0;

    /// <summary>
    /// Groups of the largest power of two ≤ the backend's group size (the tree halves it), at most one per channel.
    /// </summary>
    private static KernelConfig Config(GpuBackend backend, int channels)
    {
        int threads = 1;
        while (threads * 2 <= Math.Min(backend.GroupSize, MaxThreads)) threads *= 2;
        // Launch sizes its grid for GroupSize-thread groups: asking for channels·GroupSize items gives ≤ one group per channel.
        int groups = backend.Launch((long)channels * backend.GroupSize).GridDim.X;
        return new KernelConfig(groups, threads);
    }

    // ---- kernels ------------------------------------------------------------------------------------------

    /// <summary>Position of element j ∈ [0, N·HW) of channel ch, relative to the array's offset.</summary>
    private static int At(in BatchNormOperands p, int ch, int j)
    {
        int b = j / p.HW;
        return (b * p.C + ch) * p.HW + (j - b * p.HW);
    }

    private static void ForwardKernel(BatchNormOperands p)
    {
        var shared = SharedMemory.Allocate<float>(2 * MaxThreads);
        int t = Group.IdxX, threads = Group.DimX, m = p.N * p.HW;
        for (int ch = Grid.IdxX; ch < p.C; ch += Grid.DimX)
        {
            float mean, variance;
            if (p.UseBatchStats != 0)
            {
                // Shifting by any one element of the channel makes the summands small deviations around the mean
                // (the entry point launches only when M > 0, so element 0 exists).
                float pivot = p.X[p.XOffset + At(p, ch, 0)];
                float sum = 0f;
                for (int j = t; j < m; j += threads) sum += p.X[p.XOffset + At(p, ch, j)] - pivot;
                mean = pivot + GroupSum(shared, sum, 0f).X / m;

                float squares = 0f;
                for (int j = t; j < m; j += threads)
                {
                    float d = p.X[p.XOffset + At(p, ch, j)] - mean;
                    squares += d * d;
                }
                variance = GroupSum(shared, squares, 0f).X / m;
                if (t == 0 && p.HasRunningMean != 0) p.RunningMean[ch] = (1f - p.Momentum) * p.RunningMean[ch] + p.Momentum * mean;
                // The running variance is the unbiased estimate, M/(M − 1)·σ² (M = 1 leaves σ² = 0 unscaled).
                if (t == 0 && p.HasRunningVar != 0)
                    p.RunningVar[ch] = (1f - p.Momentum) * p.RunningVar[ch] + p.Momentum * variance * m / (m > 1 ? m - 1 : 1);
            }
            else
            {
                mean = p.RunningMean[ch];
                variance = p.RunningVar[ch];
            }
            float invStd = 1f / XMath.Sqrt(variance + p.Eps);
            if (t == 0)
            {
                p.SaveMean[ch] = mean;
                p.SaveInvStd[ch] = invStd;
            }
            float scale = invStd * (p.HasGamma != 0 ? p.Gamma[ch] : 1f), shift = p.HasBeta != 0 ? p.Beta[ch] : 0f;
            // (x − μ)·scale + β rather than x·scale + (β − μ·scale): with a large mean the latter's two big terms
            // cancel and leave their rounding errors; x − μ is exact for x near μ.
            for (int j = t; j < m; j += threads)
            {
                int at = At(p, ch, j);
                p.Y[p.YOffset + at] = (p.X[p.XOffset + at] - mean) * scale + shift;
            }
        }
    }

    // With x̂ = (x − μ)·is, S = Σ gy·(x − μ) and G = Σ gy (as the CPU kernel): gγ = is·S, gβ = G, and with batch
    // statistics gx = A·gy + B·(x − μ) + Cc, A = γ·is, B = −A·is²·S/M, Cc = −A·G/M; with running statistics gx = A·gy.
    private static void BackwardKernel(BatchNormOperands p)
    {
        var shared = SharedMemory.Allocate<float>(2 * MaxThreads);
        int t = Group.IdxX, threads = Group.DimX, m = p.N * p.HW;
        for (int ch = Grid.IdxX; ch < p.C; ch += Grid.DimX)
        {
            float mean = p.SaveMean[ch], invStd = p.SaveInvStd[ch];
            float sumG = 0f, sumGDev = 0f;
            for (int j = t; j < m; j += threads)
            {
                int at = At(p, ch, j);
                float g = p.GradY[p.GradYOffset + at];
                sumG += g;
                sumGDev += g * (p.X[p.XOffset + at] - mean);
            }
            var sums = GroupSum(shared, sumG, sumGDev);
            // An empty channel (M = 0) reduces to zero sums, its γ and β gradients; its saved invstd was never written
            // (the forward pass skips empty batches) and may be anything, so it must not multiply the zero.
            if (t == 0 && p.HasGradGamma != 0) p.GradGamma[ch] = m > 0 ? sums.Y * invStd : 0f;
            if (t == 0 && p.HasGradBeta != 0) p.GradBeta[ch] = sums.X;
            if (p.HasY == 0 || m == 0) continue;
            float a = (p.HasGamma != 0 ? p.Gamma[ch] : 1f) * invStd;
            float b = p.UseBatchStats != 0 ? -a * invStd * invStd * sums.Y / m : 0f;
            float c = p.UseBatchStats != 0 ? -a * sums.X / m : 0f;
            for (int j = t; j < m; j += threads)
            {
                int at = At(p, ch, j);
                p.Y[p.YOffset + at] = p.GradY[p.GradYOffset + at] * a + ((p.X[p.XOffset + at] - mean) * b + c);
            }
        }
    }

    /// <summary>
    /// The group-wide sums of two per-thread values, by a halving tree in shared memory; every thread gets the result.
    /// Called by all threads of the group (it holds barriers). <paramref name="shared"/> holds 2·<see cref="MaxThreads"/> floats.
    /// </summary>
    private static (float X, float Y) GroupSum(ArrayView<float> shared, float x, float y)
    {
        int t = Group.IdxX, threads = Group.DimX;
        // The shared array may still be read from the previous reduction.
        Group.Barrier();
        shared[t] = x;
        shared[MaxThreads + t] = y;
        Group.Barrier();
        for (int half = threads / 2; half > 0; half /= 2)
        {
            if (t < half)
            {
                shared[t] += shared[t + half];
                shared[MaxThreads + t] += shared[MaxThreads + t + half];
            }
            Group.Barrier();
        }
        return (shared[0], shared[MaxThreads]);
    }
}
