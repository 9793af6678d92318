using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// A vector of floats as the Winograd transforms see it: load, store, add, subtract, and (de)interleaving pairs, which
/// is how 2×2 output blocks and the stride-2 patch starts meet contiguous rows. The transforms are written once
/// over this interface; the JIT compiles them separately for each struct below, so no call is left in the loops.
/// </summary>
internal unsafe interface IWinogradLanes<TSelf> where TSelf : struct, IWinogradLanes<TSelf>
{
    static abstract int Count { get; }
    static abstract TSelf Load(float* p);
    static abstract TSelf Broadcast(float value);
    static abstract void Store(TSelf v, float* p);
    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);

    /// <summary>From 2·Count floats at p: the even-indexed ones and the odd-indexed ones.</summary>
    static abstract void Deinterleave(float* p, out TSelf evens, out TSelf odds);

    /// <summary>As <see cref="Deinterleave(float*, out TSelf, out TSelf)"/> of Count floats at a followed by Count at b.</summary>
    static abstract void Deinterleave(float* a, float* b, out TSelf evens, out TSelf odds);

    /// <summary>Whether the four-pointer <c>Deinterleave</c> below may be called.</summary>
    static abstract bool QuarterLoads { get; }

    /// <summary>As <see cref="Deinterleave(float*, out TSelf, out TSelf)"/> of Count / 2 floats at each of a, b, c, d in turn.</summary>
    static abstract void Deinterleave(float* a, float* b, float* c, float* d, out TSelf evens, out TSelf odds);

    /// <summary>Stores a₀ b₀ a₁ b₁ … (2·Count floats) at p.</summary>
    static abstract void Interleave(TSelf a, TSelf b, float* p);

    /// <summary>As <see cref="Interleave(TSelf, TSelf, float*)"/>, its first Count floats at p0 and the rest at p1.</summary>
    static abstract void Interleave(TSelf a, TSelf b, float* p0, float* p1);

    /// <summary>As <see cref="Interleave(TSelf, TSelf, float*)"/>, Count / 2 floats at each of p0 … p3 in turn (where <see cref="QuarterLoads"/>).</summary>
    static abstract void Interleave(TSelf a, TSelf b, float* p0, float* p1, float* p2, float* p3);
}

/// <summary>16 lanes of a 512-bit register, taken with the 512-bit GEMM kernels (as <see cref="DirectConv"/> does).</summary>
internal readonly unsafe struct Lanes512(Vector512<float> v) : IWinogradLanes<Lanes512>
{
    private readonly Vector512<float> _v = v;
    public static int Count => Vector512<float>.Count;
    public static bool QuarterLoads => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Load(float* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Broadcast(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes512 v, float* p) => Vector512.Store(v._v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._v - b._v);

    // A pair of floats is one 64-bit lane: narrowing keeps its low (even) float, a shift first keeps the odd one;
    // widening and shifting back builds the pairs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(float* p, out Lanes512 evens, out Lanes512 odds) => Deinterleave(p, p + Vector512<float>.Count, out evens, out odds);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(float* a, float* b, out Lanes512 evens, out Lanes512 odds) =>
        Narrow(Vector512.Load(a).AsUInt64(), Vector512.Load(b).AsUInt64(), out evens, out odds);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(float* a, float* b, float* c, float* d, out Lanes512 evens, out Lanes512 odds) =>
        Narrow(Vector512.Create(Vector256.Load(a), Vector256.Load(b)).AsUInt64(),
               Vector512.Create(Vector256.Load(c), Vector256.Load(d)).AsUInt64(), out evens, out odds);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(Vector512<ulong> lo, Vector512<ulong> hi, out Lanes512 evens, out Lanes512 odds)
    {
        evens = new(Vector512.Narrow(lo, hi).AsSingle());
        odds = new(Vector512.Narrow(lo >>> 32, hi >>> 32).AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(Lanes512 a, Lanes512 b, float* p) => Interleave(a, b, p, p + Vector512<float>.Count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(Lanes512 a, Lanes512 b, float* p0, float* p1)
    {
        Pairs(a, b, out var lo, out var hi);
        Vector512.Store(lo, p0);
        Vector512.Store(hi, p1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(Lanes512 a, Lanes512 b, float* p0, float* p1, float* p2, float* p3)
    {
        Pairs(a, b, out var lo, out var hi);
        Vector256.Store(lo.GetLower(), p0);
        Vector256.Store(lo.GetUpper(), p1);
        Vector256.Store(hi.GetLower(), p2);
        Vector256.Store(hi.GetUpper(), p3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pairs(Lanes512 a, Lanes512 b, out Vector512<float> lo, out Vector512<float> hi)
    {
        var (aLo, aHi) = Vector512.Widen(a._v.AsUInt32());
        var (bLo, bHi) = Vector512.Widen(b._v.AsUInt32());
        lo = (aLo | (bLo << 32)).AsSingle();
        hi = (aHi | (bHi << 32)).AsSingle();
    }
}

/// <summary>
/// <c>Vector&lt;float&gt;</c> lanes (256-bit on AVX2 CPUs, 128-bit elsewhere), as <see cref="ConvVectors"/> uses: every
/// other kernel choice, on any CPU.
/// </summary>
internal readonly unsafe struct LanesVector(Vector<float> v) : IWinogradLanes<LanesVector>
{
    private readonly Vector<float> _v = v;
    public static int Count => Vector<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static LanesVector Load(float* p) => new(Vector.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static LanesVector Broadcast(float value) => new(new Vector<float>(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(LanesVector v, float* p) => Vector.Store(v._v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static LanesVector operator +(LanesVector a, LanesVector b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static LanesVector operator -(LanesVector a, LanesVector b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(float* p, out LanesVector evens, out LanesVector odds) =>
        Narrow(Vector.Load(p), Vector.Load(p + Vector<float>.Count), out evens, out odds);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(float* a, float* b, out LanesVector evens, out LanesVector odds) =>
        Narrow(Vector.Load(a), Vector.Load(b), out evens, out odds);

    /// <summary>Built from 128-bit quarters, so only where <c>Vector&lt;float&gt;</c> is 256 bits wide.</summary>
    public static bool QuarterLoads => Vector<float>.Count == 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(float* a, float* b, float* c, float* d, out LanesVector evens, out LanesVector odds)
    {
        if (!QuarterLoads) throw new NotSupportedException($"Quarter loads need a 256-bit Vector<float>, not {Vector<float>.Count * 32}-bit.");
        Narrow(Vector256.Create(Vector128.Load(a), Vector128.Load(b)).AsVector(), Vector256.Create(Vector128.Load(c), Vector128.Load(d)).AsVector(),
               out evens, out odds);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(Vector<float> a, Vector<float> b, out LanesVector evens, out LanesVector odds)
    {
        Vector<ulong> lo = Vector.AsVectorUInt64(a), hi = Vector.AsVectorUInt64(b);
        evens = new(Vector.AsVectorSingle(Vector.Narrow(lo, hi)));
        odds = new(Vector.AsVectorSingle(Vector.Narrow(Vector.ShiftRightLogical(lo, 32), Vector.ShiftRightLogical(hi, 32))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(LanesVector a, LanesVector b, float* p) => Interleave(a, b, p, p + Vector<float>.Count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(LanesVector a, LanesVector b, float* p0, float* p1)
    {
        Pairs(a, b, out var lo, out var hi);
        Vector.Store(lo, p0);
        Vector.Store(hi, p1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(LanesVector a, LanesVector b, float* p0, float* p1, float* p2, float* p3)
    {
        if (!QuarterLoads) throw new NotSupportedException($"Quarter stores need a 256-bit Vector<float>, not {Vector<float>.Count * 32}-bit.");
        Pairs(a, b, out var lo, out var hi);
        Vector128.Store(lo.AsVector256().GetLower(), p0);
        Vector128.Store(lo.AsVector256().GetUpper(), p1);
        Vector128.Store(hi.AsVector256().GetLower(), p2);
        Vector128.Store(hi.AsVector256().GetUpper(), p3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pairs(LanesVector a, LanesVector b, out Vector<float> lo, out Vector<float> hi)
    {
        Vector.Widen(Vector.AsVectorUInt32(a._v), out var aLo, out var aHi);
        Vector.Widen(Vector.AsVectorUInt32(b._v), out var bLo, out var bHi);
        lo = Vector.AsVectorSingle(aLo | Vector.ShiftLeft(bLo, 32));
        hi = Vector.AsVectorSingle(aHi | Vector.ShiftLeft(bHi, 32));
    }
}
