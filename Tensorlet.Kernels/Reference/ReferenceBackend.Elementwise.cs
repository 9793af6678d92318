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

    public void Unary(UnaryOp op, in StridedView src, in StridedView dst, float alpha = 0f, float beta = 0f)
    {
        OperationChecks.Views(this, OpNames.Of(op), (nameof(src), src), (nameof(dst), dst));
        Elementwise.Unary(op, Host(src), Host(dst), alpha, beta);
    }

    public void Binary(BinaryOp op, in StridedView a, in StridedView b, in StridedView dst, float alpha = 0f, float beta = 0f)
    {
        OperationChecks.Views(this, OpNames.Of(op), (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Binary(op, Host(a), Host(b), Host(dst), alpha, beta);
    }

    public void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst)
    {
        OperationChecks.Views(this, "Where", (nameof(cond), cond), (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Where(Host(cond), Host(a), Host(b), Host(dst));
    }

    private static HostView Host(in StridedView view) => new(Data(view.Buffer), view.Offset, view.Shape, view.Strides);
}
