namespace Tensorlet.Kernels.Diagnostics;

/// <summary>One kernel checked by <see cref="SelfTest"/>: its largest deviation from the reference backend.</summary>
/// <param name="Kernel">What ran, with its variant ("Gemm NT", "Conv2d backward weight g=2").</param>
/// <param name="Elements">Output elements compared.</param>
/// <param name="MaxAbsError">max |candidate − reference|.</param>
/// <param name="MaxRelError">max |candidate − reference| / max(|reference|, 1).</param>
/// <param name="Tolerance">The largest relative error accepted.</param>
/// <param name="Error">The exception's message when the kernel failed to run.</param>
public sealed record SelfTestResult(string Kernel, int Elements, double MaxAbsError, double MaxRelError, double Tolerance, string? Error = null)
{
    public bool Passed => Error == null && MaxRelError <= Tolerance;
}

/// <summary>
/// Runs every kernel of <see cref="IBackend"/> on a candidate backend and on a reference backend (the CPU) with the same
/// small random inputs and reports how far apart the outputs are — what <c>tensorlet selftest --device D</c> prints, so a
/// user can check a GPU set-up (driver, ILGPU, device) in seconds. Inputs are seeded: a run is reproducible.
/// </summary>
public sealed partial class SelfTest(IBackend candidate, IBackend reference)
{
    private readonly List<SelfTestResult> _results = [];
    private int _seed;

    /// <summary>Runs every check, in kernel-family order.</summary>
    public IReadOnlyList<SelfTestResult> Run()
    {
        _results.Clear();
        _seed = 0;
        Elementwise();
        Reductions();
        LinearAlgebra();
        Convolutions();
        Pooling();
        Normalization();
        return _results;
    }

    /// <summary>
    /// Uploads <paramref name="arrays"/> to both backends, runs <paramref name="op"/> on each and compares the arrays
    /// listed in <paramref name="outputs"/> afterwards.
    /// </summary>
    private void Check(string kernel, float[][] arrays, int[] outputs, Action<IBackend, DeviceBuffer[]> op, double tolerance = 1e-4)
    {
        try
        {
            var expected = Execute(reference, arrays, op);
            var actual = Execute(candidate, arrays, op);
            double maxAbs = 0, maxRel = 0;
            int elements = 0;
            foreach (int o in outputs)
            {
                for (int i = 0; i < expected[o].Length; i++)
                {
                    double e = expected[o][i], a = actual[o][i];
                    elements++;
                    if (double.IsNaN(e) && double.IsNaN(a) || e == a) continue;
                    double abs = double.IsNaN(e) || double.IsNaN(a) ? double.PositiveInfinity : Math.Abs(a - e);
                    maxAbs = Math.Max(maxAbs, abs);
                    maxRel = Math.Max(maxRel, abs / Math.Max(Math.Abs(e), 1));
                }
            }
            _results.Add(new SelfTestResult(kernel, elements, maxAbs, maxRel, tolerance));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _results.Add(new SelfTestResult(kernel, 0, double.NaN, double.NaN, tolerance, ex.GetType().Name + ": " + ex.Message));
        }
    }

    private static float[][] Execute(IBackend backend, float[][] arrays, Action<IBackend, DeviceBuffer[]> op)
    {
        var buffers = new DeviceBuffer[arrays.Length];
        try
        {
            for (int i = 0; i < arrays.Length; i++)
            {
                buffers[i] = backend.Allocate(arrays[i].Length);
                backend.Upload(arrays[i], buffers[i], 0);
            }
            op(backend, buffers);
            var result = new float[arrays.Length][];
            for (int i = 0; i < arrays.Length; i++)
            {
                result[i] = new float[arrays[i].Length];
                backend.Download(buffers[i], 0, result[i]);
            }
            return result;
        }
        finally
        {
            foreach (var b in buffers) b?.Dispose();
        }
    }

    private float[] Random(int n, float lo = -2f, float hi = 2f)
    {
        var rng = new Random(++_seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.NextSingle();
        return a;
    }

    private float[] Integers(int n, int lo, int hi)
    {
        var rng = new Random(++_seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.Next(lo, hi);
        return a;
    }

    private static StridedView Dense(DeviceBuffer b, params int[] shape) => StridedView.Contiguous(b, 0, shape);
}
