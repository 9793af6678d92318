using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Conv;

namespace Tensorlet.Benchmarks.Convolution;

/// <summary>
/// Convolution as the textbook writes it (Chellapilla et al. 2006; Caffe): per image and group, im2col the input into a
/// column matrix in memory, then one threaded SGEMM. Built here from the CPU backend's own im2col, col2im and SGEMM, so
/// against the backend's convolution it isolates what the backend adds on top: lowering fused into the GEMM's packing
/// (no column matrix), several small images per GEMM, 1×1 layers without any lowering, and batch-parallel threads.
/// </summary>
internal sealed unsafe class Im2colGemmConvolution
{
    private readonly Conv2dGeometry _g;
    private readonly float[] _col, _scratch;
    private readonly int _rows, _spatial, _plane;

    public Im2colGemmConvolution(in Conv2dGeometry g)
    {
        _g = g;
        _rows = g.GroupC * g.KH * g.KW;
        _spatial = g.OutH * g.OutW;
        _plane = g.H * g.W;
        _col = GC.AllocateArray<float>(_rows * _spatial, pinned: true);
        _scratch = GC.AllocateArray<float>((int)Math.Max(1, Col2Im.PlaneFloats(g)), pinned: true);
    }

    /// <summary>y = conv(x, w) + b.</summary>
    public void Forward(float[] x, float[] w, float[] b, float[] y)
    {
        int kg = _g.GroupK;
        fixed (float* px = x, pcol = _col, pscratch = _scratch)
        {
            for (int n = 0; n < _g.N; n++)
            for (int group = 0; group < _g.Groups; group++)
            {
                float* image = px + ((long)n * _g.C + (long)group * _g.GroupC) * _plane;
                Im2Col.Lower(_g, image, _g.GroupC, pcol, _spatial, pscratch);
                int yAt = (n * _g.K + group * kg) * _spatial;
                Sgemm.Multiply(false, false, kg, _spatial, _rows, 1f, w.AsSpan(group * kg * _rows, kg * _rows), _rows,
                               _col, _spatial, 0f, y.AsSpan(yAt, kg * _spatial), _spatial);
                for (int k = 0; k < kg; k++) AddScalar(y.AsSpan(yAt + k * _spatial, _spatial), b[group * kg + k]);
            }
        }
    }

    /// <summary>gx = convᵀ(gy, w): col = W_gᵀ·gy per image and group, then col2im.</summary>
    public void BackwardInput(float[] gy, float[] w, float[] gx)
    {
        int kg = _g.GroupK;
        fixed (float* pgx = gx, pcol = _col, pscratch = _scratch)
        {
            for (int n = 0; n < _g.N; n++)
            for (int group = 0; group < _g.Groups; group++)
            {
                Sgemm.Multiply(true, false, _rows, _spatial, kg, 1f, w.AsSpan(group * kg * _rows, kg * _rows), _rows,
                               gy.AsSpan((n * _g.K + group * kg) * _spatial, kg * _spatial), _spatial, 0f, _col, _spatial);
                float* image = pgx + ((long)n * _g.C + (long)group * _g.GroupC) * _plane;
                Col2Im.Fold(_g, pcol, _spatial, _g.GroupC, image, pscratch);
            }
        }
    }

    /// <summary>gw = Σ_n gy_n·col_nᵀ per group (im2col again), gb = Σ gy.</summary>
    public void BackwardWeight(float[] x, float[] gy, float[] gw, float[] gb)
    {
        int kg = _g.GroupK;
        Array.Clear(gb);
        fixed (float* px = x, pcol = _col, pscratch = _scratch)
        {
            for (int n = 0; n < _g.N; n++)
            for (int group = 0; group < _g.Groups; group++)
            {
                float* image = px + ((long)n * _g.C + (long)group * _g.GroupC) * _plane;
                Im2Col.Lower(_g, image, _g.GroupC, pcol, _spatial, pscratch);
                var gyGroup = gy.AsSpan((n * _g.K + group * kg) * _spatial, kg * _spatial);
                Sgemm.Multiply(false, true, kg, _rows, _spatial, 1f, gyGroup, _spatial, _col, _spatial,
                               n == 0 ? 0f : 1f, gw.AsSpan(group * kg * _rows, kg * _rows), _rows);
                for (int k = 0; k < kg; k++) gb[group * kg + k] += Sum(gyGroup.Slice(k * _spatial, _spatial));
            }
        }
    }

    private static void AddScalar(Span<float> row, float value)
    {
        for (int i = 0; i < row.Length; i++) row[i] += value;
    }

    private static float Sum(ReadOnlySpan<float> row)
    {
        float s = 0;
        foreach (float v in row) s += v;
        return s;
    }
}
