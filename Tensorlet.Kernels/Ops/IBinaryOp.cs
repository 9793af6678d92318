using System.Numerics;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Ops;

/// <summary>
/// One element-wise map z = f(a, b; α, β) over two inputs of the same (already broadcast) shape, defined once for every
/// backend as <see cref="IUnaryOp{TSelf}"/> is. Fused gradient rules (<c>…Backward</c>) are binary ops too: <c>a</c> is
/// the upstream gradient and <c>b</c> the saved input or output each one names, so a backward pass is one kernel.
/// </summary>
/// <typeparam name="TSelf">The implementing struct (so the default vector form can call its scalar form).</typeparam>
public interface IBinaryOp<TSelf> where TSelf : struct, IBinaryOp<TSelf>
{
    /// <summary>f(a, b; α, β). Must compile for ILGPU: plain arithmetic, comparisons and <typeparamref name="T"/>'s math.</summary>
    static abstract T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T>;

    /// <summary>f on eight pairs of floats at once; α and β arrive splatted.</summary>
    static virtual Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta)
    {
        float al = alpha.ToScalar(), be = beta.ToScalar();
        Span<float> va = stackalloc float[Vector256<float>.Count], vb = stackalloc float[Vector256<float>.Count];
        a.CopyTo(va);
        b.CopyTo(vb);
        for (int i = 0; i < va.Length; i++) va[i] = TSelf.Apply(va[i], vb[i], al, be);
        return Vector256.Create<float>(va);
    }
}
