using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// The ILGPU implementation of <see cref="IBackend"/>: pooled accelerator memory and the kernels of this folder, run
/// in order on the accelerator's default stream. Calls return once the work is queued; only <see cref="Download"/> (and
/// <see cref="Synchronize"/>) wait for it. The same code runs on CUDA, OpenCL and ILGPU's CPU accelerator; kernels
/// size their groups from <see cref="Accelerator.MaxNumThreadsPerGroup"/> so the 16-thread CPU simulator runs them too.
/// </summary>
public sealed partial class GpuBackend : IBackend
{
    private readonly GpuBufferPool _pool;
    private readonly bool _ownsAccelerator;
    private long _uploads, _downloads, _uploadedBytes, _downloadedBytes;
    private bool _disposed;

    /// <param name="accelerator">The accelerator to run on.</param>
    /// <param name="name">A short name ("cuda:0", "opencl:0", "ilgpu-cpu").</param>
    /// <param name="ownsAccelerator">Dispose the accelerator with this backend.</param>
    /// <param name="memoryCapacityBytes">
    /// The most device memory this backend may hold (by default the device's, see <see cref="GpuBufferPool.DefaultCapacity"/>);
    /// an allocation past it throws <see cref="GpuOutOfMemoryException"/> without asking the driver.
    /// </param>
    public GpuBackend(Accelerator accelerator, string name, bool ownsAccelerator = true, long? memoryCapacityBytes = null)
    {
        Accelerator = accelerator;
        Name = name;
        _ownsAccelerator = ownsAccelerator;
        _pool = new GpuBufferPool(accelerator, name, memoryCapacityBytes);
        GroupSize = Math.Min(256, accelerator.MaxNumThreadsPerGroup);
        // Kernels loop over their items (grid-stride), so a grid only needs enough groups to fill the device. The CPU
        // accelerator simulates every group's threads in software: fewer, longer-lived groups are much faster there.
        _maxGroups = Math.Max(1, accelerator.NumMultiprocessors) * (accelerator.AcceleratorType == AcceleratorType.CPU ? 2 : 32);
    }

    private readonly int _maxGroups;

    public string Name { get; }

    /// <summary>Always true: kernels are queued on an ILGPU accelerator stream.</summary>
    public bool IsGpu => true;

    /// <summary>The ILGPU accelerator behind this backend.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The stream every kernel of this backend runs on, in call order.</summary>
    public AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>Threads per group for 1-D kernels: 256, or fewer where the accelerator allows fewer.</summary>
    public int GroupSize { get; }

    /// <summary>The memory pool (kernels that need scratch space rent from it).</summary>
    public GpuBufferPool Pool => _pool;

    public long PooledBytes => _pool.PooledBytes;
    public long LiveBytes => _pool.LiveBytes;

    /// <summary>Host↔device copies so far, to prove that a training step keeps its data on the device.</summary>
    public TransferCounts Transfers => new(Interlocked.Read(ref _uploads), Interlocked.Read(ref _downloads),
                                           Interlocked.Read(ref _uploadedBytes), Interlocked.Read(ref _downloadedBytes));

    /// <summary>Frees idle pooled memory (waits for queued work first, which may still use it).</summary>
    public void TrimPool()
    {
        Synchronize();
        _pool.Trim();
    }

    /// <exception cref="GpuOutOfMemoryException">The device has no room for it, even after the pool freed its idle blocks.</exception>
    public DeviceBuffer Allocate(int length)
    {
        ArgumentChecks.NonNegative("Allocate", (nameof(length), length));
        return new GpuBuffer(this, _pool, _pool.Rent(length), length);
    }

    // ILGPU's copies take the host memory as a raw pointer (Unsafe.AsPointer) without pinning it. A span over a managed
    // array must therefore be pinned for the whole copy: otherwise a garbage collection on another thread can move the
    // array mid-copy, and the copy reads or writes its old address (lost data, or a corrupted heap).

    public unsafe void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset)
    {
        ArgumentChecks.Operand(this, "Upload", nameof(dst), dst, dstOffset, src.Length);
        if (src.IsEmpty) return;
        Interlocked.Increment(ref _uploads);
        Interlocked.Add(ref _uploadedBytes, (long)src.Length * sizeof(float));
        // Synchronous: the span may be stack or pooled host memory that the caller reuses as soon as we return.
        fixed (float* pinned = src)
            View(dst).SubView(dstOffset, src.Length).CopyFromCPU(Stream, ref *pinned, src.Length);
        Stream.Synchronize();
    }

    public unsafe void Download(DeviceBuffer src, int srcOffset, Span<float> dst)
    {
        ArgumentChecks.Operand(this, "Download", nameof(src), src, srcOffset, dst.Length);
        if (dst.IsEmpty) return;
        Interlocked.Increment(ref _downloads);
        Interlocked.Add(ref _downloadedBytes, (long)dst.Length * sizeof(float));
        fixed (float* pinned = dst)
            View(src).SubView(srcOffset, dst.Length).CopyToCPU(Stream, ref *pinned, dst.Length);
        Synchronize();
    }

    /// <summary>Waits until every queued kernel has finished, then reports a bad index any of them found.</summary>
    public void Synchronize()
    {
        Stream.Synchronize();
        CheckIndexErrors();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Stream.Synchronize();
        _pool.Dispose();
        _indexError?.Dispose();
        if (_ownsAccelerator) Accelerator.Dispose();
    }

    /// <summary>The device view of a checked buffer of this backend.</summary>
    internal static ArrayView<float> View(DeviceBuffer buffer) => ((GpuBuffer)buffer).View;

    /// <summary>Like <see cref="View"/>, for an optional operand (an empty view when null).</summary>
    internal static ArrayView<float> ViewOrEmpty(DeviceBuffer? buffer) => buffer == null ? default : ((GpuBuffer)buffer).View;

    /// <summary>Groups of <see cref="GroupSize"/> threads covering <paramref name="count"/> items.</summary>
    internal KernelConfig Launch(long count)
    {
        long groups = Math.Clamp((count + GroupSize - 1) / GroupSize, 1, _maxGroups);
        return new KernelConfig((int)groups, GroupSize);
    }

    private delegate void DenseKernel(DeviceBuffer src, int srcOffset, DeviceBuffer dst, int dstOffset);

    /// <summary>
    /// Runs a kernel that reads one dense operand and writes another: each view is opened through
    /// <see cref="DenseOperand"/> (a copy only for other layouts), and dst is completed once the kernel is queued.
    /// </summary>
    private void RunDense(in StridedView src, in StridedView dst, DenseKernel kernel)
    {
        using var s = DenseOperand.Read(this, src);
        using var d = DenseOperand.Write(this, dst);
        kernel(s.Buffer, s.Offset, d.Buffer, d.Offset);
        d.Complete();
    }
}

/// <summary>How many host↔device copies a backend has made, and how many bytes they moved.</summary>
public readonly record struct TransferCounts(long Uploads, long Downloads, long UploadedBytes, long DownloadedBytes)
{
    public static TransferCounts operator -(TransferCounts a, TransferCounts b) =>
        new(a.Uploads - b.Uploads, a.Downloads - b.Downloads, a.UploadedBytes - b.UploadedBytes, a.DownloadedBytes - b.DownloadedBytes);
}
