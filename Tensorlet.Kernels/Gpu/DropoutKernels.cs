using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Dropout masks, one thread per element. Each element calls <see cref="DropoutHash.Mask"/> — the very function the
/// CPU backend calls, compiled by ILGPU (64-bit integer multiplies and shifts) — on its own counter, so a mask drawn
/// here is bit-identical to the CPU's for the same seed and counter base.
/// </summary>
internal sealed class DropoutKernels
{
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, MaskArgs> _mask;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<ArrayView<float>, MaskArgs>)MaskKernel,
    ];

    public DropoutKernels(Accelerator accelerator) => _mask = accelerator.LoadKernel<ArrayView<float>, MaskArgs>(MaskKernel);

    internal struct MaskArgs
    {
        public ulong Seed, CounterBase;
        public int Offset, Count;
        public float P, Scale;
    }

    public void Mask(GpuBackend backend, DeviceBuffer mask, int offset, int count, float p, float scale, ulong seed, ulong counterBase)
    {
        if (count == 0) return;
        var args = new MaskArgs { Seed = seed, CounterBase = counterBase, Offset = offset, Count = count, P = p, Scale = scale };
        _mask(backend.Stream, backend.Launch(count), GpuBackend.View(mask), args);
    }

    private static void MaskKernel(ArrayView<float> mask, MaskArgs a)
    {
        for (int i = Grid.GlobalIndex.X; i < a.Count; i += Grid.DimX * Group.DimX)
            mask[a.Offset + i] = DropoutHash.Mask(a.P, a.Scale, a.Seed, a.CounterBase + (ulong)i);
    }
}
