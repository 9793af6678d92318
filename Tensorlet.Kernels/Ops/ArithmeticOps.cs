using System.Numerics;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Ops;

// The arithmetic maps: one struct per op, its scalar form and (where the CPU gains) its vector form side by side.

/// <summary>y = x (a copy).</summary>
public readonly struct Identity : IUnaryOp<Identity>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => x;
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => x;
}

/// <summary>y = −x.</summary>
public readonly struct Neg : IUnaryOp<Neg>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => -x;
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => -x;
}

/// <summary>y = x + α.</summary>
public readonly struct AddScalar : IUnaryOp<AddScalar>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => x + alpha;
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => x + alpha;
}

/// <summary>y = α·x.</summary>
public readonly struct MulScalar : IUnaryOp<MulScalar>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => alpha * x;
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => alpha * x;
}

/// <summary>y = α·x + β.</summary>
public readonly struct Affine : IUnaryOp<Affine>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => alpha * x + beta;
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => alpha * x + beta;
}

/// <summary>y = 1 / x.</summary>
public readonly struct Reciprocal : IUnaryOp<Reciprocal>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => T.One / x;
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => Vector256<float>.One / x;
}

/// <summary>z = a + b.</summary>
public readonly struct Add : IBinaryOp<Add>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a + b;
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) => a + b;
}

/// <summary>z = a − b.</summary>
public readonly struct Sub : IBinaryOp<Sub>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a - b;
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) => a - b;
}

/// <summary>z = a·b.</summary>
public readonly struct Mul : IBinaryOp<Mul>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a * b;
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) => a * b;
}

/// <summary>z = a / b.</summary>
public readonly struct Div : IBinaryOp<Div>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a / b;
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) => a / b;
}

/// <summary>z = a + α·b (axpy).</summary>
public readonly struct AddScaled : IBinaryOp<AddScaled>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a + alpha * b;
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) => a + alpha * b;
}
