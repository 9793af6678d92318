namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>
/// Per-thread packing memory, allocated once and kept: a pinned, 64-byte aligned region for the packed A block
/// and one for the packed B block. Workers in <see cref="Threads"/> are persistent, so after the first call of a
/// given size no GEMM allocates. Pinned (POH) arrays let the pointers stay valid without a <c>fixed</c> scope.
/// </summary>
internal sealed unsafe class PackBuffers
{
    [ThreadStatic] private static PackBuffers? _current;

    private float[] _a = [], _b = [];
    private float* _aPtr, _bPtr;

    /// <summary>The calling thread's buffers, grown to hold at least the given number of floats each.</summary>
    public static PackBuffers For(long aFloats, long bFloats)
    {
        var buffers = _current ??= new PackBuffers();
        if (buffers._a.Length < aFloats + 64) buffers._aPtr = Allocate(aFloats, out buffers._a);
        if (buffers._b.Length < bFloats + 64) buffers._bPtr = Allocate(bFloats, out buffers._b);
        return buffers;
    }

    public float* A => _aPtr;
    public float* B => _bPtr;

    private static float* Allocate(long floats, out float[] array)
    {
        array = GC.AllocateUninitializedArray<float>(checked((int)floats + 64), pinned: true);
        fixed (float* p = array)
        {
            // The array is pinned for its lifetime, so the aligned pointer outlives this scope.
            nint aligned = ((nint)p + 63) & ~(nint)63;
            return (float*)aligned;
        }
    }
}
