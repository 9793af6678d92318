namespace Tensorlet.Kernels.Reference;

/// <summary>
/// The element-wise ops written as plainly as possible, in double precision: the definition the fast kernels are
/// tested against. Views may broadcast (stride 0); dst must have the same shape as the inputs.
/// </summary>
public static class Elementwise
{
    public static double Unary(UnaryOp op, double x, double alpha = 0, double beta = 0) => op switch
    {
        UnaryOp.Identity => x,
        UnaryOp.Neg => -x,
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Relu => Math.Max(x, 0),
        UnaryOp.LeakyRelu => x > 0 ? x : alpha * x,
        UnaryOp.Sigmoid => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x)),
        UnaryOp.Tanh => Math.Tanh(x),
        UnaryOp.Clamp => Math.Min(Math.Max(x, alpha), beta),
        UnaryOp.PowScalar => Math.Pow(x, alpha),
        UnaryOp.AddScalar => x + alpha,
        UnaryOp.MulScalar => alpha * x,
        UnaryOp.Affine => alpha * x + beta,
        UnaryOp.Sign => x > 0 ? 1 : x < 0 ? -1 : 0,
        UnaryOp.Reciprocal => 1 / x,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static double Binary(BinaryOp op, double a, double b, double alpha = 0, double beta = 0) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Pow => Math.Pow(a, b),
        BinaryOp.Maximum => Math.Max(a, b),
        BinaryOp.Minimum => Math.Min(a, b),
        BinaryOp.AddScaled => a + alpha * b,
        BinaryOp.Equal => a == b ? 1 : 0,
        BinaryOp.Greater => a > b ? 1 : 0,
        BinaryOp.ReluBackward => b > 0 ? a : 0,
        BinaryOp.LeakyReluBackward => b > 0 ? a : alpha * a,
        BinaryOp.SigmoidBackward => a * b * (1 - b),
        BinaryOp.TanhBackward => a * (1 - b * b),
        BinaryOp.ClampBackward => alpha <= b && b <= beta ? a : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static void Fill(HostView dst, float value)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = value;
    }

    public static void Copy(HostView src, HostView dst)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = src[i];
    }

    public static void Unary(UnaryOp op, HostView src, HostView dst, float alpha = 0, float beta = 0)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = (float)Unary(op, src[i], alpha, beta);
    }

    public static void Binary(BinaryOp op, HostView a, HostView b, HostView dst, float alpha = 0, float beta = 0)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = (float)Binary(op, a[i], b[i], alpha, beta);
    }

    public static void Where(HostView cond, HostView a, HostView b, HostView dst)
    {
        for (int i = 0; i < dst.Count; i++) dst[i] = cond[i] != 0 ? a[i] : b[i];
    }
}
