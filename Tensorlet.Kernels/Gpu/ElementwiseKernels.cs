using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;
using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Fill, unary, binary and where over strided views (broadcast inputs have stride 0): one thread per output element, a
/// grid-stride loop so any size fits any grid. The unary and binary kernels are generic over the op struct, whose scalar
/// form ILGPU compiles into the kernel; each op's kernel is compiled on its first use on this accelerator.
/// </summary>
internal sealed class ElementwiseKernels(Accelerator accelerator)
{
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, StridedLayout, int, float> _fill =
        accelerator.LoadKernel<ArrayView<float>, StridedLayout, int, float>(FillKernel);
    private readonly Action<AcceleratorStream, KernelConfig, BinaryOperands, ArrayView<float>, StridedLayout, int> _where =
        accelerator.LoadKernel<BinaryOperands, ArrayView<float>, StridedLayout, int>(WhereKernel);
    private readonly ConcurrentDictionary<Type, Delegate> _ops = new();

    /// <summary>
    /// Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>): the generic
    /// kernels once per op of <see cref="ElementwiseOps"/>.
    /// </summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<ArrayView<float>, StridedLayout, int, float>)FillKernel,
        (Action<BinaryOperands, ArrayView<float>, StridedLayout, int>)WhereKernel,
        .. ElementwiseOps.Unary.Select(op => Instantiate(nameof(UnaryKernel), op.Type)),
        .. ElementwiseOps.Binary.Select(op => Instantiate(nameof(BinaryKernel), op.Type)),
    ];

    private static Delegate Instantiate(string kernel, Type op)
    {
        var method = typeof(ElementwiseKernels).GetMethod(kernel, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                                               .MakeGenericMethod(op);
        var parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
        return method.CreateDelegate(System.Linq.Expressions.Expression.GetActionType(parameters));
    }

    /// <summary>An op's scalar parameters α and β.</summary>
    internal struct ScalarArgs
    {
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

    public void Unary<TOp>(GpuBackend backend, string op, in StridedView src, in StridedView dst, float alpha, float beta)
        where TOp : struct, IUnaryOp<TOp>
    {
        int count = dst.Count;
        if (count == 0) return;
        var l = StridedLayout.Coalesce(op, src, dst);
        var kernel = (Action<AcceleratorStream, KernelConfig, ArrayView<float>, StridedLayout, ArrayView<float>, StridedLayout, int, ScalarArgs>)
            _ops.GetOrAdd(typeof(TOp), static (_, acc) => LoadUnary<TOp>(acc), accelerator);
        kernel(backend.Stream, backend.Launch(count), GpuBackend.View(src.Buffer), l[0], GpuBackend.View(dst.Buffer), l[1], count,
               new ScalarArgs { Alpha = alpha, Beta = beta });
    }

    public void Binary<TOp>(GpuBackend backend, string op, in StridedView a, in StridedView b, in StridedView dst, float alpha, float beta)
        where TOp : struct, IBinaryOp<TOp>
    {
        int count = dst.Count;
        if (count == 0) return;
        var l = StridedLayout.Coalesce(op, a, b, dst);
        var operands = new BinaryOperands
        {
            A = GpuBackend.View(a.Buffer), B = GpuBackend.View(b.Buffer), Dst = GpuBackend.View(dst.Buffer),
            LayoutA = l[0], LayoutB = l[1], LayoutDst = l[2],
        };
        var kernel = (Action<AcceleratorStream, KernelConfig, BinaryOperands, int, ScalarArgs>)
            _ops.GetOrAdd(typeof(TOp), static (_, acc) => LoadBinary<TOp>(acc), accelerator);
        kernel(backend.Stream, backend.Launch(count), operands, count, new ScalarArgs { Alpha = alpha, Beta = beta });
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

    private static Delegate LoadUnary<TOp>(Accelerator accelerator) where TOp : struct, IUnaryOp<TOp> =>
        accelerator.LoadKernel<ArrayView<float>, StridedLayout, ArrayView<float>, StridedLayout, int, ScalarArgs>(UnaryKernel<TOp>);

    private static Delegate LoadBinary<TOp>(Accelerator accelerator) where TOp : struct, IBinaryOp<TOp> =>
        accelerator.LoadKernel<BinaryOperands, int, ScalarArgs>(BinaryKernel<TOp>);

    private static void FillKernel(ArrayView<float> dst, StridedLayout layout, int count, float value)
    {
        for (int i = Grid.GlobalIndex.X; i < count; i += Grid.DimX * Group.DimX)
            dst[layout.At(i)] = value;
    }

    private static void UnaryKernel<TOp>(ArrayView<float> src, StridedLayout ls, ArrayView<float> dst, StridedLayout ld, int count, ScalarArgs args)
        where TOp : struct, IUnaryOp<TOp>
    {
        for (int i = Grid.GlobalIndex.X; i < count; i += Grid.DimX * Group.DimX)
            dst[ld.At(i)] = TOp.Apply(src[ls.At(i)], args.Alpha, args.Beta);
    }

    private static void BinaryKernel<TOp>(BinaryOperands o, int count, ScalarArgs args) where TOp : struct, IBinaryOp<TOp>
    {
        for (int i = Grid.GlobalIndex.X; i < count; i += Grid.DimX * Group.DimX)
            o.Dst[o.LayoutDst.At(i)] = TOp.Apply(o.A[o.LayoutA.At(i)], o.B[o.LayoutB.At(i)], args.Alpha, args.Beta);
    }

    private static void WhereKernel(BinaryOperands o, ArrayView<float> cond, StridedLayout lc, int count)
    {
        for (int i = Grid.GlobalIndex.X; i < count; i += Grid.DimX * Group.DimX)
            o.Dst[o.LayoutDst.At(i)] = cond[lc.At(i)] != 0f ? o.A[o.LayoutA.At(i)] : o.B[o.LayoutB.At(i)];
    }
}
