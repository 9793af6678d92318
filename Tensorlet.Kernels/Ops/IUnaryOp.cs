using System.Numerics;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Ops;

/// <summary>
/// One element-wise map y = f(x; α, β), defined once for every backend. The scalar form is generic over the number
/// type: the reference evaluates it in double, the ILGPU kernels and the CPU tails in float. The vector form is what the
/// CPU kernels run on whole vectors; an op that gains nothing from one leaves the default, which loops the scalar form.
/// α and β are the op's scalar parameters; ops that need none ignore them.
/// </summary>
/// <typeparam name="TSelf">The implementing struct (so the default vector form can call its scalar form).</typeparam>
public interface IUnaryOp<TSelf> where TSelf : struct, IUnaryOp<TSelf>
{
    /// <summary>f(x; α, β). Must compile for ILGPU: plain arithmetic, comparisons and <typeparamref name="T"/>'s math.</summary>
    static abstract T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T>;

    /// <summary>f on eight floats at once; α and β arrive splatted.</summary>
    static virtual Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta)
    {
        float a = alpha.ToScalar(), b = beta.ToScalar();
        Span<float> v = stackalloc float[Vector256<float>.Count];
        x.CopyTo(v);
        for (int i = 0; i < v.Length; i++) v[i] = TSelf.Apply(v[i], a, b);
        return Vector256.Create<float>(v);
    }
}
