using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// A vector of floats as the Winograd transforms see it: load, store, add, subtract. The transforms are written once
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
}
