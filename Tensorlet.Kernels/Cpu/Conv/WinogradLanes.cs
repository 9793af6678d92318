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

    /// <summary>Stores a₀ b₀ a₁ b₁ … (2·Count floats) at p.</summary>
    static abstract void Interleave(TSelf a, TSelf b, float* p);
}

/// <summary>16 lanes of a 512-bit register, taken with the 512-bit GEMM kernels (as <see cref="DirectConv"/> does).</summary>
internal readonly unsafe struct Lanes512(Vector512<float> v) : IWinogradLanes<Lanes512>
{
    private readonly Vector512<float> _v = v;
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Load(float* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Broadcast(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes512 v, float* p) => Vector512.Store(v._v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._v - b._v);

    // A pair of floats is one 64-bit lane: narrowing keeps its low (even) float, a shift first keeps the odd one;
    // widening and shifting back builds the pairs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(float* p, out Lanes512 evens, out Lanes512 odds)
    {
        Vector512<ulong> lo = Vector512.Load(p).AsUInt64(), hi = Vector512.Load(p + Vector512<float>.Count).AsUInt64();
        evens = new(Vector512.Narrow(lo, hi).AsSingle());
        odds = new(Vector512.Narrow(lo >>> 32, hi >>> 32).AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(Lanes512 a, Lanes512 b, float* p)
    {
        var (aLo, aHi) = Vector512.Widen(a._v.AsUInt32());
        var (bLo, bHi) = Vector512.Widen(b._v.AsUInt32());
        Vector512.Store((aLo | (bLo << 32)).AsSingle(), p);
        Vector512.Store((aHi | (bHi << 32)).AsSingle(), p + Vector512<float>.Count);
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
    public static void Deinterleave(float* p, out LanesVector evens, out LanesVector odds)
    {
        Vector<ulong> lo = Vector.AsVectorUInt64(Vector.Load(p)), hi = Vector.AsVectorUInt64(Vector.Load(p + Vector<float>.Count));
        evens = new(Vector.AsVectorSingle(Vector.Narrow(lo, hi)));
        odds = new(Vector.AsVectorSingle(Vector.Narrow(Vector.ShiftRightLogical(lo, 32), Vector.ShiftRightLogical(hi, 32))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(LanesVector a, LanesVector b, float* p)
    {
        Vector.Widen(Vector.AsVectorUInt32(a._v), out var aLo, out var aHi);
        Vector.Widen(Vector.AsVectorUInt32(b._v), out var bLo, out var bHi);
        Vector.Store(Vector.AsVectorSingle(aLo | Vector.ShiftLeft(bLo, 32)), p);
        Vector.Store(Vector.AsVectorSingle(aHi | Vector.ShiftLeft(bHi, 32)), p + Vector<float>.Count);
    }
}
