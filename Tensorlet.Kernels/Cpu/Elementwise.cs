using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Fill, Copy, Unary, Binary and Where on validated views: hands each to <see cref="StridedLoop"/> with the row kernel
/// for the op. Unary and Binary are generic over the op struct, so the JIT compiles one loop per op with its math inlined.
/// </summary>
internal static class Elementwise
{
    private static float[] Data(in StridedView v) => ((CpuBuffer)v.Buffer).Array;

    public static void Fill(in StridedView dst, float value) =>
        new StridedLoop(dst).Run(new ElementwiseRows.Fill(Data(dst), value));

    public static void Copy(in StridedView src, in StridedView dst) =>
        new StridedLoop(src, dst).Run(new ElementwiseRows.Copy(Data(src), Data(dst)));

    public static void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst) =>
        new StridedLoop(cond, a, b, dst).Run(new ElementwiseRows.Where(Data(cond), Data(a), Data(b), Data(dst)));

    public static void Unary<TOp>(in StridedView src, in StridedView dst, float alpha, float beta) where TOp : struct, IUnaryOp<TOp>
    {
        var loop = new StridedLoop(src, dst);
        bool stream = Streams(loop);
        loop.Run(new ElementwiseRows.Unary<TOp>(Data(src), Data(dst), alpha, beta, stream), fence: stream);
    }

    public static void Binary<TOp>(in StridedView a, in StridedView b, in StridedView dst, float alpha, float beta) where TOp : struct, IBinaryOp<TOp>
    {
        var loop = new StridedLoop(a, b, dst);
        bool stream = Streams(loop);
        loop.Run(new ElementwiseRows.Binary<TOp>(Data(a), Data(b), Data(dst), alpha, beta, stream), fence: stream);
    }

    private static bool Streams(StridedLoop loop) => loop.Count >= DenseLoops.StreamThreshold;
}
