using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Reference;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// Where an operand lives in its array: the same layout builds the host view the reference reads and the
/// device view the backend reads, over arrays with identical contents.
/// </summary>
public sealed record Layout(int Length, int Offset, int[] Shape, int[] Strides)
{
    public static Layout Dense(params int[] shape)
    {
        int n = shape.Aggregate(1, (a, d) => a * d);
        return new Layout(n, 0, shape, StridedView.ContiguousStrides(shape));
    }

    /// <summary>A dense array of <paramref name="stored"/> shape viewed as its transpose-like permutation.</summary>
    public static Layout Permuted(int[] stored, params int[] perm)
    {
        var strides = StridedView.ContiguousStrides(stored);
        return new Layout(stored.Aggregate(1, (a, d) => a * d), 0, perm.Select(p => stored[p]).ToArray(), perm.Select(p => strides[p]).ToArray());
    }

    /// <summary>Every <paramref name="step"/>-th element after an offset of 3 (a strided slice).</summary>
    public static Layout Stepped(int n, int step) => new(3 + Math.Max(1, n) * step, 3, [n], [step]);

    /// <summary><paramref name="shape"/> read from a smaller array with stride 0 where <paramref name="broadcast"/> is true.</summary>
    public static Layout Broadcast(int[] shape, params bool[] broadcast)
    {
        var stored = shape.Select((d, i) => broadcast[i] ? 1 : d).ToArray();
        var dense = StridedView.ContiguousStrides(stored);
        return new Layout(stored.Aggregate(1, (a, d) => a * d), 0, shape, dense.Select((s, i) => broadcast[i] ? 0 : s).ToArray());
    }

    public override string ToString() =>
        $"len {Length} off {Offset} shape [{string.Join(",", Shape)}] strides [{string.Join(",", Strides)}]";
}

/// <summary>A host array and a CPU buffer with the same contents, seen through one layout.</summary>
public sealed class Operand : IDisposable
{
    public Operand(Layout layout, float[] host)
    {
        Layout = layout;
        Host = host;
        Device = CpuBackend.Instance.Allocate(host.Length);
        CpuBackend.Instance.Upload(host, Device, 0);
    }

    public Layout Layout { get; }
    public float[] Host { get; }
    public DeviceBuffer Device { get; }
    public HostView HostView => new(Host, Layout.Offset, Layout.Shape, Layout.Strides);
    public StridedView View => new(Device, Layout.Offset, Layout.Shape, Layout.Strides);

    public float[] Download()
    {
        var result = new float[Host.Length];
        CpuBackend.Instance.Download(Device, 0, result);
        return result;
    }

    public void Dispose() => Device.Dispose();
}

public static class KernelTestKit
{
    public static IBackend Cpu => CpuBackend.Instance;

    public static float[] Random(int n, int seed, float lo = -3f, float hi = 3f)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.NextSingle();
        return a;
    }

    /// <summary>Small integers, so Equal, ties and index ops get real hits.</summary>
    public static float[] Integers(int n, int seed, int lo, int hi)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.Next(lo, hi);
        return a;
    }

    public static Operand Operand(Layout layout, int seed, float lo = -3f, float hi = 3f) => new(layout, Random(layout.Length, seed, lo, hi));

    /// <summary>A dense view of <paramref name="shape"/> at <paramref name="offset"/> of <paramref name="buffer"/>, the way kernels are handed one.</summary>
    public static StridedView View(DeviceBuffer buffer, int offset, params int[] shape) => StridedView.Contiguous(buffer, offset, shape);

    /// <summary>The batch-norm record over dense buffers: x [n, c, hw] at <paramref name="xOffset"/>, per-channel vectors from element 0.</summary>
    public static BatchNormArgs BatchNormOf(int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer? gamma, DeviceBuffer? beta,
                                            DeviceBuffer? runningMean, DeviceBuffer? runningVar, DeviceBuffer saveMean, DeviceBuffer saveInvStd,
                                            bool useBatchStats, float momentum, float eps)
    {
        StridedView? Channels(DeviceBuffer? b) => b == null ? null : View(b, 0, c);
        return new(View(x, xOffset, n, c, hw), Channels(gamma), Channels(beta), Channels(runningMean), Channels(runningVar), View(saveMean, 0, c),
                   View(saveInvStd, 0, c), useBatchStats, momentum, eps);
    }

    /// <summary>The batch-norm gradient record over dense buffers: gX [n, c, hw] at <paramref name="gradXOffset"/>, the others from element 0.</summary>
    public static BatchNormGrads BatchNormGradsOf(int n, int c, int hw, DeviceBuffer? gradX, int gradXOffset, DeviceBuffer? gradGamma,
                                                  DeviceBuffer? gradBeta) =>
        new(gradX == null ? null : View(gradX, gradXOffset, n, c, hw), gradGamma == null ? null : View(gradGamma, 0, c),
            gradBeta == null ? null : View(gradBeta, 0, c));

    /// <summary>A dense pooling input (or input gradient) view, [N, C, H, W] at <paramref name="offset"/>.</summary>
    public static StridedView PoolIn(DeviceBuffer buffer, int offset, in Pool2dGeometry g) => View(buffer, offset, g.InputShape());

    /// <summary>A dense pooling output (indices, output gradient) view, [N, C, OH, OW] at <paramref name="offset"/>.</summary>
    public static StridedView PoolOut(DeviceBuffer buffer, int offset, in Pool2dGeometry g) => View(buffer, offset, g.OutputShape());

    public static DeviceBuffer Upload(float[] host)
    {
        var b = Cpu.Allocate(host.Length);
        Cpu.Upload(host, b, 0);
        return b;
    }

    public static float[] Download(DeviceBuffer b)
    {
        var host = new float[b.Length];
        Cpu.Download(b, 0, host);
        return host;
    }

    /// <summary>|actual − expected| ≤ atol + rtol·|expected| element-wise; NaN matches NaN and ∞ matches ∞.</summary>
    public static void AssertClose(float[] expected, float[] actual, double rtol, double atol, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) && float.IsNaN(a)) continue;
            if (float.IsInfinity(e) && e == a) continue;
            double err = Math.Abs((double)a - e);
            if (!(err <= atol + rtol * Math.Abs(e)))
                Assert.Fail($"{what}: element {i}: expected {e:R}, got {a:R} (error {err:G3}).");
        }
    }
}
