using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Fill, copy, unary, binary and where over strided views (broadcast inputs have stride 0): one thread per output
/// element, a grid-stride loop so any size fits any grid. Compiled once per accelerator, on first use.
/// </summary>
internal sealed class ElementwiseKernels
{
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, StridedLayout, int, float> _fill;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, StridedLayout, ArrayView<float>, StridedLayout, int, UnaryArgs> _unary;
    private readonly Action<AcceleratorStream, KernelConfig, BinaryOperands, int, UnaryArgs> _binary;
    private readonly Action<AcceleratorStream, KernelConfig, BinaryOperands, ArrayView<float>, StridedLayout, int> _where;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<ArrayView<float>, StridedLayout, int, float>)FillKernel,
        (Action<ArrayView<float>, StridedLayout, ArrayView<float>, StridedLayout, int, UnaryArgs>)UnaryKernel,
        (Action<BinaryOperands, int, UnaryArgs>)BinaryKernel,
        (Action<BinaryOperands, ArrayView<float>, StridedLayout, int>)WhereKernel,
    ];

    public ElementwiseKernels(Accelerator accelerator)
    {
        _fill = accelerator.LoadKernel<ArrayView<float>, StridedLayout, int, float>(FillKernel);
        _unary = accelerator.LoadKernel<ArrayView<float>, StridedLayout, ArrayView<float>, StridedLayout, int, UnaryArgs>(UnaryKernel);
        _binary = accelerator.LoadKernel<BinaryOperands, int, UnaryArgs>(BinaryKernel);
        _where = accelerator.LoadKernel<BinaryOperands, ArrayView<float>, StridedLayout, int>(WhereKernel);
    }

    /// <summary>The scalar arguments of an op: which op, α and β.</summary>
    internal struct UnaryArgs
    {
        public int Op;
        public float Alpha, Beta;
    }

    /// <summary>Two inputs and the output of a binary op (kernels take at most a few parameters comfortably).</summary>
    internal struct BinaryOperands
    {
        public ArrayView<float> A, B, Dst;
        public StridedLayout LayoutA, LayoutB, LayoutDst;
    }

    public void Fill(GpuBackend backend, in StridedView dst, float value)
    {
        int count = dst.Count;
        if (count == 0) return;
        var l = StridedLayout.Coalesce("Fill", dst);
        _fill(backend.Stream, backend.Launch(count), GpuBackend.View(dst.Buffer), l[0], count, value);
    }

    public void Unary(GpuBackend backend, string op, UnaryOp unary, in StridedView src, in StridedView dst, float alpha, float beta)
    {
        int count = dst.Count;
        if (count == 0) return;
        var l = StridedLayout.Coalesce(op, src, dst);
        _unary(backend.Stream, backend.Launch(count), GpuBackend.View(src.Buffer), l[0], GpuBackend.View(dst.Buffer), l[1], count,
               new UnaryArgs { Op = (int)unary, Alpha = alpha, Beta = beta });
    }

    public void Binary(GpuBackend backend, string op, BinaryOp binary, in StridedView a, in StridedView b, in StridedView dst, float alpha, float beta)
    {
        int count = dst.Count;
        if (count == 0) return;
        var l = StridedLayout.Coalesce(op, a, b, dst);
        var operands = new BinaryOperands
        {
            A = GpuBackend.View(a.Buffer), B = GpuBackend.View(b.Buffer), Dst = GpuBackend.View(dst.Buffer),
            LayoutA = l[0], LayoutB = l[1], LayoutDst = l[2],
        };
        _binary(backend.Stream, backend.Launch(count), operands, count, new UnaryArgs { Op = (int)binary, Alpha = alpha, Beta = beta });
    }

    public void Where(GpuBackend backend, in StridedView cond, in StridedView a, in StridedView b, in StridedView dst)
    {
        int count = dst.Count;
        if (count == 0) return;
        var l = StridedLayout.Coalesce("Where", a, b, dst, cond);
        var operands = new BinaryOperands
        {
            A = GpuBackend.View(a.Buffer), B = GpuBackend.View(b.Buffer), Dst = GpuBackend.View(dst.Buffer),
            LayoutA = l[0], LayoutB = l[1], LayoutDst = l[2],
        };
        _where(backend.Stream, backend.Launch(count), operands, GpuBackend.View(cond.Buffer), l[3], count);
    }

    private static void FillKernel(ArrayView<float> dst, StridedLayout layout, int count, float value)
    {
        for (int i = Grid.GlobalIndex.X; i < count; i += Grid.DimX * Group.DimX)
            dst[layout.At(i)] = value;
    }

    private static void UnaryKernel(ArrayView<float> src, StridedLayout ls, ArrayView<float> dst, StridedLayout ld, int count, UnaryArgs args)
    {
        for (int i = Grid.GlobalIndex.X; i < count; i += Grid.DimX * Group.DimX)
            dst[ld.At(i)] = GpuMath.Unary(args.Op, src[ls.At(i)], args.Alpha, args.Beta);
    }

    private static void BinaryKernel(BinaryOperands o, int count, UnaryArgs args)
    {
        for (int i = Grid.GlobalIndex.X; i < count; i += Grid.DimX * Group.DimX)
            o.Dst[o.LayoutDst.At(i)] = GpuMath.Binary(args.Op, o.A[o.LayoutA.At(i)], o.B[o.LayoutB.At(i)], args.Alpha, args.Beta);
    }

    private static void WhereKernel(BinaryOperands o, ArrayView<float> cond, StridedLayout lc, int count)
    {
        for (int i = Grid.GlobalIndex.X; i < count; i += Grid.DimX * Group.DimX)
            o.Dst[o.LayoutDst.At(i)] = cond[lc.At(i)] != 0f ? o.A[o.LayoutA.At(i)] : o.B[o.LayoutB.At(i)];
    }
}
