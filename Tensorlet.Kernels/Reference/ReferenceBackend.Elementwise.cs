using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Reference;

// Movement and element-wise entry points: the shared view checks, then Elementwise.cs's loops over host views.
public sealed partial class ReferenceBackend
{
    public void Fill(in StridedView dst, float value)
    {
        ArgumentChecks.View(this, "Fill", nameof(dst), dst);
        Elementwise.Fill(Host(dst), value);
    }

    public void Copy(in StridedView src, in StridedView dst)
    {
        OperationChecks.Views(this, "Copy", (nameof(src), src), (nameof(dst), dst));
        Elementwise.Copy(Host(src), Host(dst));
    }

    public void Unary<TOp>(in StridedView src, in StridedView dst, float alpha = 0f, float beta = 0f) where TOp : struct, IUnaryOp<TOp>
    {
        OperationChecks.Views(this, OpName<TOp>.Value, (nameof(src), src), (nameof(dst), dst));
        Elementwise.Unary<TOp>(Host(src), Host(dst), alpha, beta);
    }

    public void Binary<TOp>(in StridedView a, in StridedView b, in StridedView dst, float alpha = 0f, float beta = 0f) where TOp : struct, IBinaryOp<TOp>
    {
        OperationChecks.Views(this, OpName<TOp>.Value, (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Binary<TOp>(Host(a), Host(b), Host(dst), alpha, beta);
    }

    public void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst)
    {
        OperationChecks.Views(this, "Where", (nameof(cond), cond), (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Where(Host(cond), Host(a), Host(b), Host(dst));
    }

    private static HostView Host(in StridedView view) => new(Data(view.Buffer), view.Offset, view.Shape, view.Strides);
}
