namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Reusable pinned memory for convolution: a thread's lowered-image (im2col) buffer, and the per-part weight
/// gradient accumulators of one call. Both grow to the largest size asked for and are kept, so a training loop
/// that repeats the same shapes allocates nothing after its first step. Pinned (POH) arrays keep the pointers
/// valid across worker threads without a <c>fixed</c> scope.
/// </summary>
internal sealed unsafe class ConvScratch
{
    // The lowered image is private to the thread that fills and consumes it; a thread runs one part at a time.
    [ThreadStatic] private static ConvScratch? _column;
    [ThreadStatic] private static ConvScratch? _rows;
    [ThreadStatic] private static ConvScratch? _plane;
    [ThreadStatic] private static ConvScratch? _weights;
    [ThreadStatic] private static ConvScratch? _panel;
    [ThreadStatic] private static ConvScratch? _flipped;
    [ThreadStatic] private static ConvScratch? _tiles;

    // Partial weight gradients are written by workers but owned by the calling thread for the whole call,
    // so two threads running convolutions at once never share them.
    [ThreadStatic] private static ConvScratch[]? _partials;

    private float[] _array = [];
    private float* _ptr;

    /// <summary>The calling thread's im2col buffer, at least <paramref name="floats"/> long.</summary>
    public static float* Column(long floats) => (_column ??= new ConvScratch()).Reserve(floats);

    /// <summary>The calling thread's buffer for one step's output rows, at least <paramref name="floats"/> long.</summary>
    public static float* StepRows(long floats) => (_rows ??= new ConvScratch()).Reserve(floats);

    /// <summary>The calling thread's buffer for one (zero-bordered) image plane.</summary>
    public static float* Plane(long floats) => (_plane ??= new ConvScratch()).Reserve(floats);

    /// <summary>The calling thread's packed copy of a call's weights, read by every part of that call.</summary>
    public static float* Weights(long floats) => (_weights ??= new ConvScratch()).Reserve(floats);

    /// <summary>The calling thread's flipped, channel-swapped weights of an input-gradient call.</summary>
    public static float* Flipped(long floats) => (_flipped ??= new ConvScratch()).Reserve(floats);

    /// <summary>The calling thread's Winograd-transformed input tiles, at least <paramref name="floats"/> long.</summary>
    public static float* Tiles(long floats) => (_tiles ??= new ConvScratch()).Reserve(floats);

    /// <summary>The calling thread's packed B block of the fused forward (KC×NC at most).</summary>
    public static float* Panel(long floats) => (_panel ??= new ConvScratch()).Reserve(floats);

    /// <summary>The calling thread's accumulator for part <paramref name="part"/>, at least <paramref name="floats"/> long.</summary>
    public static float* Partial(int part, long floats)
    {
        var partials = _partials;
        if (partials == null || partials.Length <= part)
        {
            var grown = new ConvScratch[Math.Max(part + 1, Threads.Count)];
            partials?.CopyTo(grown, 0);
            for (int i = partials?.Length ?? 0; i < grown.Length; i++) grown[i] = new ConvScratch();
            _partials = partials = grown;
        }
        return partials[part].Reserve(floats);
    }

    private float* Reserve(long floats)
    {
        if (_array.Length < floats + 16)
        {
            _array = GC.AllocateUninitializedArray<float>(checked((int)floats + 16), pinned: true);
            fixed (float* p = _array) _ptr = (float*)(((nint)p + 63) & ~(nint)63);
        }
        return _ptr;
    }
}
