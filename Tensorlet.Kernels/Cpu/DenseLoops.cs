using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Cpu;

/// <summary>How a dense loop reads one operand: element by element, or one value repeated (stride 0).</summary>
internal interface IOperand
{
    static abstract Vector256<float> Load(ref float p, nuint i);
    static abstract float Scalar(ref float p, nuint i);
}

/// <summary>How a dense loop writes: through the cache, or streamed past it.</summary>
internal interface IStore
{
    static abstract void Store(Vector256<float> v, ref float p, nuint i);
}

/// <summary>
/// The vectorised inner loops over one contiguous row, generic over op, operand kinds and store kind, so the
/// JIT emits one tight loop per combination. Tails run the scalar form: an overlapping last vector would apply
/// an in-place op twice. Streamed rows are not fenced here: a broadcast walks thousands of short rows, and an sfence
/// per row cost more than the streaming saved; the caller fences once per thread (<see cref="StridedLoop.Run"/>).
/// </summary>
internal static class DenseLoops
{
    /// <summary>
    /// Rows at least this long (in one kernel call) are written with non-temporal stores: a 16 MB+ result does not
    /// fit in cache anyway, and streaming skips the read-for-ownership of each destination line (a third less
    /// memory traffic for a + b → c).
    /// </summary>
    public const int StreamThreshold = 4 * 1024 * 1024;

    public struct Dense : IOperand
    {
        public static Vector256<float> Load(ref float p, nuint i) => Vector256.LoadUnsafe(ref p, i);
        public static float Scalar(ref float p, nuint i) => Unsafe.Add(ref p, i);
    }

    public struct Splat : IOperand
    {
        public static Vector256<float> Load(ref float p, nuint i) => Vector256.Create(p);
        public static float Scalar(ref float p, nuint i) => p;
    }

    public struct Cached : IStore
    {
        public static void Store(Vector256<float> v, ref float p, nuint i) => v.StoreUnsafe(ref p, i);
    }

    /// <summary>Requires the destination pinned and 32-byte aligned at p + i.</summary>
    public unsafe struct Streamed : IStore
    {
        public static void Store(Vector256<float> v, ref float p, nuint i) =>
            Vector256.StoreAlignedNonTemporal(v, (float*)Unsafe.AsPointer(ref Unsafe.Add(ref p, i)));
    }

    public static unsafe void Unary<TOp>(ref float x, ref float d, int n, float alpha, float beta, bool stream)
        where TOp : struct, IUnaryOp<TOp>
    {
        int i = 0;
        if (n >= Vector256<float>.Count)
        {
            if (stream && Sse.IsSupported)
            {
                fixed (float* pd = &d)
                {
                    for (int head = HeadToAlign(pd, n); i < head; i++)
                        Unsafe.Add(ref d, i) = TOp.Apply(Unsafe.Add(ref x, i), alpha, beta);
                    i = UnaryBody<TOp, Streamed>(ref x, ref d, i, n, alpha, beta);
                }
            }
            else i = UnaryBody<TOp, Cached>(ref x, ref d, i, n, alpha, beta);
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = TOp.Apply(Unsafe.Add(ref x, i), alpha, beta);
    }

    private static int UnaryBody<TOp, TStore>(ref float x, ref float d, int start, int n, float alpha, float beta)
        where TOp : struct, IUnaryOp<TOp> where TStore : IStore
    {
        var al = Vector256.Create(alpha);
        var be = Vector256.Create(beta);
        nuint i = (nuint)start, w = (nuint)Vector256<float>.Count;
        for (; i + 2 * w <= (nuint)n; i += 2 * w)
        {
            var v0 = TOp.ApplyVector(Vector256.LoadUnsafe(ref x, i), al, be);
            var v1 = TOp.ApplyVector(Vector256.LoadUnsafe(ref x, i + w), al, be);
            TStore.Store(v0, ref d, i);
            TStore.Store(v1, ref d, i + w);
        }
        for (; i + w <= (nuint)n; i += w) TStore.Store(TOp.ApplyVector(Vector256.LoadUnsafe(ref x, i), al, be), ref d, i);
        return (int)i;
    }

    public static unsafe void Binary<TOp, TA, TB>(ref float a, ref float b, ref float d, int n, float alpha, float beta, bool stream)
        where TOp : struct, IBinaryOp<TOp> where TA : IOperand where TB : IOperand
    {
        int i = 0;
        if (n >= Vector256<float>.Count)
        {
            if (stream && Sse.IsSupported)
            {
                fixed (float* pd = &d)
                {
                    for (int head = HeadToAlign(pd, n); i < head; i++)
                        Unsafe.Add(ref d, i) = TOp.Apply(TA.Scalar(ref a, (nuint)i), TB.Scalar(ref b, (nuint)i), alpha, beta);
                    i = BinaryBody<TOp, TA, TB, Streamed>(ref a, ref b, ref d, i, n, alpha, beta);
                }
            }
            else i = BinaryBody<TOp, TA, TB, Cached>(ref a, ref b, ref d, i, n, alpha, beta);
        }
        for (; i < n; i++)
            Unsafe.Add(ref d, i) = TOp.Apply(TA.Scalar(ref a, (nuint)i), TB.Scalar(ref b, (nuint)i), alpha, beta);
    }

    private static int BinaryBody<TOp, TA, TB, TStore>(ref float a, ref float b, ref float d, int start, int n, float alpha, float beta)
        where TOp : struct, IBinaryOp<TOp> where TA : IOperand where TB : IOperand where TStore : IStore
    {
        var al = Vector256.Create(alpha);
        var be = Vector256.Create(beta);
        nuint i = (nuint)start, w = (nuint)Vector256<float>.Count;
        for (; i + 2 * w <= (nuint)n; i += 2 * w)
        {
            var v0 = TOp.ApplyVector(TA.Load(ref a, i), TB.Load(ref b, i), al, be);
            var v1 = TOp.ApplyVector(TA.Load(ref a, i + w), TB.Load(ref b, i + w), al, be);
            TStore.Store(v0, ref d, i);
            TStore.Store(v1, ref d, i + w);
        }
        for (; i + w <= (nuint)n; i += w) TStore.Store(TOp.ApplyVector(TA.Load(ref a, i), TB.Load(ref b, i), al, be), ref d, i);
        return (int)i;
    }

    /// <summary>d = c != 0 ? a : b over dense rows (a NaN condition counts as true, as in the scalar form).</summary>
    public static void Where(ref float c, ref float a, ref float b, ref float d, int n)
    {
        nuint i = 0, w = (nuint)Vector256<float>.Count;
        for (; i + w <= (nuint)n; i += w)
        {
            var isZero = Vector256.Equals(Vector256.LoadUnsafe(ref c, i), Vector256<float>.Zero);
            Vector256.ConditionalSelect(isZero, Vector256.LoadUnsafe(ref b, i), Vector256.LoadUnsafe(ref a, i)).StoreUnsafe(ref d, i);
        }
        for (; i < (nuint)n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref c, i) != 0f ? Unsafe.Add(ref a, i) : Unsafe.Add(ref b, i);
    }

    // Elements to handle one by one before p is 32-byte aligned (floats are 4-byte aligned, so this is exact).
    private static unsafe int HeadToAlign(float* p, int n) =>
        Math.Min(n, (int)((32 - ((nuint)p & 31)) & 31) / sizeof(float));
}
