using ILGPU.Algorithms;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// The scalar definitions of <see cref="UnaryOp"/> and <see cref="BinaryOp"/> in float32 on ILGPU's math library — the
/// same formulas as the CPU kernels (<c>Cpu/UnaryOps.cs</c>, <c>Cpu/BinaryOps.cs</c>). The op is a kernel argument,
/// so one compiled kernel serves every op; the switch costs nothing next to the memory traffic.
/// </summary>
public static class GpuMath
{
    public static float Unary(int op, float x, float alpha, float beta)
    {
        switch ((UnaryOp)op)
        {
            case UnaryOp.Identity: return x;
            case UnaryOp.Neg: return -x;
            case UnaryOp.Exp: return XMath.Exp(x);
            case UnaryOp.Log: return XMath.Log(x);
            case UnaryOp.Sqrt: return XMath.Sqrt(x);
            case UnaryOp.Abs: return XMath.Abs(x);
            case UnaryOp.Relu: return Maximum(x, 0f);
            case UnaryOp.LeakyRelu: return x > 0f ? x : alpha * x;
            case UnaryOp.Sigmoid: return Sigmoid(x);
            case UnaryOp.Tanh: return XMath.Tanh(x);
            case UnaryOp.Clamp: return Minimum(Maximum(x, alpha), beta);
            case UnaryOp.PowScalar: return Pow(x, alpha);
            case UnaryOp.AddScalar: return x + alpha;
            case UnaryOp.MulScalar: return alpha * x;
            case UnaryOp.Affine: return alpha * x + beta;
            case UnaryOp.Sign: return x > 0f ? 1f : x < 0f ? -1f : 0f;
            case UnaryOp.Reciprocal: return 1f / x;
            default: return float.NaN;
        }
    }

    public static float Binary(int op, float a, float b, float alpha, float beta)
    {
        switch ((BinaryOp)op)
        {
            case BinaryOp.Add: return a + b;
            case BinaryOp.Sub: return a - b;
            case BinaryOp.Mul: return a * b;
            case BinaryOp.Div: return a / b;
            case BinaryOp.Pow: return Pow(a, b);
            case BinaryOp.Maximum: return Maximum(a, b);
            case BinaryOp.Minimum: return Minimum(a, b);
            case BinaryOp.AddScaled: return a + alpha * b;
            case BinaryOp.Equal: return a == b ? 1f : 0f;
            case BinaryOp.Greater: return a > b ? 1f : 0f;
            case BinaryOp.ReluBackward: return b > 0f ? a : 0f;
            case BinaryOp.LeakyReluBackward: return b > 0f ? a : alpha * a;
            case BinaryOp.SigmoidBackward: return a * b * (1f - b);
            case BinaryOp.TanhBackward: return a * (1f - b * b);
            case BinaryOp.ClampBackward: return alpha <= b && b <= beta ? a : 0f;
            default: return float.NaN;
        }
    }

    /// <summary>1/(1 + e^−x) for x ≥ 0 and e^x/(1 + e^x) below, so neither branch overflows.</summary>
    public static float Sigmoid(float x)
    {
        if (x >= 0f) return 1f / (1f + XMath.Exp(-x));
        float e = XMath.Exp(x);
        return e / (1f + e);
    }

    /// <summary>IEEE pow as MathF.Pow: a negative base with an integral exponent keeps its sign (exp·log would give NaN).</summary>
    public static float Pow(float a, float b)
    {
        if (b == 0f) return 1f;
        if (a >= 0f || float.IsNaN(a)) return XMath.Pow(a, b);
        float whole = XMath.Floor(b);
        if (whole != b) return float.NaN;
        float magnitude = XMath.Pow(-a, b);
        return XMath.Abs(whole % 2f) == 1f ? -magnitude : magnitude;
    }

    /// <summary>NaN-propagating maximum, as torch.maximum.</summary>
    public static float Maximum(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : a > b ? a : b;

    /// <summary>NaN-propagating minimum, as torch.minimum.</summary>
    public static float Minimum(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : a < b ? a : b;
}
