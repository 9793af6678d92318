namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Fill, Copy, Unary, Binary and Where on validated views: turns the op enum into a generic instantiation
/// once per call and hands the rest to <see cref="StridedLoop"/>.
/// </summary>
internal static class Elementwise
{
    private static float[] Data(in StridedView v) => ((CpuBuffer)v.Buffer).Array;

    public static void Fill(in StridedView dst, float value) =>
        new StridedLoop(dst).Run(new ElementwiseRows.Fill(Data(dst), value));

    public static void Copy(in StridedView src, in StridedView dst) =>
        new StridedLoop(src, dst).Run(new ElementwiseRows.Copy(Data(src), Data(dst)));

    public static void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst) =>
        new StridedLoop(cond, a, b, dst).Run(new ElementwiseRows.Where(Data(cond), Data(a), Data(b), Data(dst)));

    public static void Unary(UnaryOp op, in StridedView src, in StridedView dst, float alpha, float beta)
    {
        switch (op)
        {
            case UnaryOp.Identity: Copy(src, dst); break;
            case UnaryOp.Neg: Unary<UnaryOps.Neg>(src, dst, alpha, beta); break;
            case UnaryOp.Exp: Unary<UnaryOps.Exp>(src, dst, alpha, beta); break;
            case UnaryOp.Log: Unary<UnaryOps.Log>(src, dst, alpha, beta); break;
            case UnaryOp.Sqrt: Unary<UnaryOps.Sqrt>(src, dst, alpha, beta); break;
            case UnaryOp.Abs: Unary<UnaryOps.Abs>(src, dst, alpha, beta); break;
            case UnaryOp.Relu: Unary<UnaryOps.Relu>(src, dst, alpha, beta); break;
            case UnaryOp.LeakyRelu: Unary<UnaryOps.LeakyRelu>(src, dst, alpha, beta); break;
            case UnaryOp.Sigmoid: Unary<UnaryOps.Sigmoid>(src, dst, alpha, beta); break;
            case UnaryOp.Tanh: Unary<UnaryOps.Tanh>(src, dst, alpha, beta); break;
            case UnaryOp.Clamp: Unary<UnaryOps.Clamp>(src, dst, alpha, beta); break;
            case UnaryOp.PowScalar: Unary<UnaryOps.PowScalar>(src, dst, alpha, beta); break;
            case UnaryOp.AddScalar: Unary<UnaryOps.AddScalar>(src, dst, alpha, beta); break;
            case UnaryOp.MulScalar: Unary<UnaryOps.MulScalar>(src, dst, alpha, beta); break;
            case UnaryOp.Affine: Unary<UnaryOps.Affine>(src, dst, alpha, beta); break;
            case UnaryOp.Sign: Unary<UnaryOps.Sign>(src, dst, alpha, beta); break;
            case UnaryOp.Reciprocal: Unary<UnaryOps.Reciprocal>(src, dst, alpha, beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op.");
        }
    }

    public static void Binary(BinaryOp op, in StridedView a, in StridedView b, in StridedView dst, float alpha, float beta)
    {
        switch (op)
        {
            case BinaryOp.Add: Binary<BinaryOps.Add>(a, b, dst, alpha, beta); break;
            case BinaryOp.Sub: Binary<BinaryOps.Sub>(a, b, dst, alpha, beta); break;
            case BinaryOp.Mul: Binary<BinaryOps.Mul>(a, b, dst, alpha, beta); break;
            case BinaryOp.Div: Binary<BinaryOps.Div>(a, b, dst, alpha, beta); break;
            case BinaryOp.Pow: Binary<BinaryOps.Pow>(a, b, dst, alpha, beta); break;
            case BinaryOp.Maximum: Binary<BinaryOps.Maximum>(a, b, dst, alpha, beta); break;
            case BinaryOp.Minimum: Binary<BinaryOps.Minimum>(a, b, dst, alpha, beta); break;
            case BinaryOp.AddScaled: Binary<BinaryOps.AddScaled>(a, b, dst, alpha, beta); break;
            case BinaryOp.Equal: Binary<BinaryOps.Equal>(a, b, dst, alpha, beta); break;
            case BinaryOp.Greater: Binary<BinaryOps.Greater>(a, b, dst, alpha, beta); break;
            case BinaryOp.ReluBackward: Binary<BinaryOps.ReluBackward>(a, b, dst, alpha, beta); break;
            case BinaryOp.LeakyReluBackward: Binary<BinaryOps.LeakyReluBackward>(a, b, dst, alpha, beta); break;
            case BinaryOp.SigmoidBackward: Binary<BinaryOps.SigmoidBackward>(a, b, dst, alpha, beta); break;
            case BinaryOp.TanhBackward: Binary<BinaryOps.TanhBackward>(a, b, dst, alpha, beta); break;
            case BinaryOp.ClampBackward: Binary<BinaryOps.ClampBackward>(a, b, dst, alpha, beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }

    private static void Unary<TOp>(in StridedView src, in StridedView dst, float alpha, float beta) where TOp : IUnaryOp
    {
        var loop = new StridedLoop(src, dst);
        loop.Run(new ElementwiseRows.Unary<TOp>(Data(src), Data(dst), alpha, beta, Streams(loop)));
    }

    private static void Binary<TOp>(in StridedView a, in StridedView b, in StridedView dst, float alpha, float beta) where TOp : IBinaryOp
    {
        var loop = new StridedLoop(a, b, dst);
        loop.Run(new ElementwiseRows.Binary<TOp>(Data(a), Data(b), Data(dst), alpha, beta, Streams(loop)));
    }

    private static bool Streams(StridedLoop loop) => loop.Count >= DenseLoops.StreamThreshold;
}
