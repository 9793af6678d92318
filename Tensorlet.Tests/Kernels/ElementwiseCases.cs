using Tensorlet.Kernels.Ops;
using Ref = Tensorlet.Kernels.Reference;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// What the element-wise kernel tests feed each op of <see cref="ElementwiseOps"/>: its input range and α, β. An op not
/// named here gets [−3, 3] and α = β = 0, so a new op is covered by every backend's tests without an edit.
/// </summary>
internal static class ElementwiseCases
{
    public static IEnumerable<UnaryOpInfo> Unary => ElementwiseOps.Unary;
    public static IEnumerable<BinaryOpInfo> Binary => ElementwiseOps.Binary;

    public static (float Lo, float Hi) Domain(UnaryOpInfo op) => op.Type.Name switch
    {
        nameof(Log) or nameof(Sqrt) or nameof(PowScalar) => (0.01f, 5f),
        nameof(Exp) => (-80f, 80f),
        nameof(Sigmoid) or nameof(Tanh) => (-30f, 30f),
        nameof(Reciprocal) => (0.1f, 4f),
        _ => (-3f, 3f),
    };

    public static (float Alpha, float Beta) Params(UnaryOpInfo op) => op.Type.Name switch
    {
        nameof(LeakyRelu) => (0.1f, 0f),
        nameof(Clamp) => (-0.5f, 0.7f),
        nameof(PowScalar) => (1.7f, 0f),
        nameof(AddScalar) => (0.3f, 0f),
        nameof(MulScalar) => (-1.5f, 0f),
        nameof(Affine) => (2f, -1f),
        _ => (0f, 0f),
    };

    public static (float Lo, float Hi) Domain(BinaryOpInfo op) => op.Type == typeof(Pow) ? (0.1f, 3f) : (-3f, 3f);

    public static (float Alpha, float Beta) Params(BinaryOpInfo op) => op.Type == typeof(ClampBackward) ? (-0.5f, 0.5f) : (0.25f, 0.5f);

    /// <summary>Ops whose output jumps at ties or at 0, tested on small integers so both sides of each jump are hit exactly.</summary>
    public static bool Discrete(BinaryOpInfo op) =>
        op.Type == typeof(Equal) || op.Type == typeof(Greater) || op.Type == typeof(Maximum) || op.Type == typeof(Minimum) ||
        op.Type == typeof(ReluBackward) || op.Type == typeof(LeakyReluBackward) || op.Type == typeof(ClampBackward);

    /// <summary>dst = op(src) element by element with the op's scalar form in double precision.</summary>
    public static void Reference(UnaryOpInfo op, Ref.HostView src, Ref.HostView dst, float alpha, float beta)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = (float)op.Reference(src[i], alpha, beta);
    }

    /// <summary>dst = op(a, b) element by element with the op's scalar form in double precision.</summary>
    public static void Reference(BinaryOpInfo op, Ref.HostView a, Ref.HostView b, Ref.HostView dst, float alpha, float beta)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = (float)op.Reference(a[i], b[i], alpha, beta);
    }
}
