using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Reference;

/// <summary>
/// The element-wise ops written as plainly as possible: each op's own scalar form (<see cref="IUnaryOp{TSelf}"/>,
/// <see cref="IBinaryOp{TSelf}"/>) evaluated in double precision, element by element. The fast kernels are tested
/// against this. Views may broadcast (stride 0); dst must have the same shape as the inputs.
/// </summary>
public static class Elementwise
{
    public static void Fill(HostView dst, float value)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = value;
    }

    public static void Copy(HostView src, HostView dst)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = src[i];
    }

    public static void Unary<TOp>(HostView src, HostView dst, float alpha = 0, float beta = 0) where TOp : struct, IUnaryOp<TOp>
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = (float)TOp.Apply<double>(src[i], alpha, beta);
    }

    public static void Binary<TOp>(HostView a, HostView b, HostView dst, float alpha = 0, float beta = 0) where TOp : struct, IBinaryOp<TOp>
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = (float)TOp.Apply<double>(a[i], b[i], alpha, beta);
    }

    public static void Where(HostView cond, HostView a, HostView b, HostView dst)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = cond[i] != 0 ? a[i] : b[i];
    }
}
