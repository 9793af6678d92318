using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Lowers one tap of one input channel in a single register permute when the whole channel fits one 512-bit
/// register (H·W ≤ 16) and the output map has 4, 8 or 16 positions — VGG's 512-channel layers on 4×4 and 2×2 maps.
/// Each tap has its own permute index and a mask that zeroes the positions its window reads from the padding, so no
/// bordered copy of the plane is made and each lowered row is one load, one permute, one AND and one store. Copying
/// those rows instead (OH runs of 4 or 2 floats, 1–2 million per call) and bordering each plane took about a fifth of
/// such a layer's time.
/// </summary>
internal sealed unsafe class SmallPlaneGather
{
    private readonly Vector512<int>[] _index;
    private readonly Vector512<float>[] _inside;
    private readonly Vector512<float> _plane;
    private readonly int _spatial;

    private SmallPlaneGather(in Conv2dGeometry g)
    {
        _spatial = g.OutH * g.OutW;
        int taps = g.KH * g.KW;
        _index = new Vector512<int>[taps];
        _inside = new Vector512<float>[taps];
        Span<int> index = stackalloc int[16];
        Span<float> inside = stackalloc float[16];
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
        {
            index.Clear();
            inside.Clear();
            for (int q = 0; q < _spatial; q++)
            {
                int h = q / g.OutW * g.StrideH - g.PadH + i * g.DilationH, w = q % g.OutW * g.StrideW - g.PadW + j * g.DilationW;
                if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
                index[q] = h * g.W + w;
                inside[q] = BitConverter.Int32BitsToSingle(-1);
            }
            _index[i * g.KW + j] = Vector512.Create<int>(index);
            _inside[i * g.KW + j] = Vector512.Create<float>(inside);
        }
        Span<float> plane = stackalloc float[16];
        for (int t = 0; t < 16; t++) plane[t] = t < g.H * g.W ? BitConverter.Int32BitsToSingle(-1) : 0f;
        _plane = Vector512.Create<float>(plane);
    }

    /// <summary>The gather for <paramref name="g"/>, or null where it does not apply (no AVX-512, a larger plane or map).</summary>
    public static SmallPlaneGather? For(in Conv2dGeometry g) =>
        Avx512F.IsSupported && g.H * g.W <= 16 && g.OutH * g.OutW is 4 or 8 or 16 ? new SmallPlaneGather(g) : null;

    /// <summary>Output positions per image: the floats each <see cref="Run"/> writes.</summary>
    public int Spatial => _spatial;

    /// <summary>
    /// dst[q] = the input value tap <paramref name="tap"/> (i·KW + j) reads for output position q, 0 in the padding,
    /// from the H×W <paramref name="plane"/> (read under a mask: never past its end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run(float* plane, int tap, float* dst)
    {
        var v = Avx512F.MaskLoad(plane, _plane, Vector512<float>.Zero);
        var r = Avx512F.PermuteVar16x32(v, Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_index), tap))
                & Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_inside), tap);
        if (_spatial == 16) r.Store(dst);
        else if (_spatial == 8) r.GetLower().Store(dst);
        else r.GetLower().GetLower().Store(dst);
    }
}
