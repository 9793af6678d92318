using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Every kernel of the GPU backend, in one list, so that a test can compile each for real targets (PTX for sm_80 and
/// sm_90, OpenCL C) on a machine without a GPU; ILGPU's CPU accelerator, which runs the other GPU tests, never invokes
/// those code generators. Each kernel class lists what it loads in its <c>EntryPoints</c>; a class added to this
/// folder joins here. A reflection test fails when a kernel is loaded but missing from this list.
/// </summary>
internal static class GpuKernelCatalog
{
    /// <summary>The kernel methods, as loaded (every one is explicitly grouped: launched with a <see cref="KernelConfig"/>).</summary>
    public static IReadOnlyList<MethodInfo> Kernels { get; } =
    [
        .. new[]
        {
            BatchNormKernels.EntryPoints, ConvolutionKernels.EntryPoints, CrossEntropyKernels.EntryPoints, DropoutKernels.EntryPoints,
            ElementwiseKernels.EntryPoints, GemmKernels.EntryPoints, IndexingKernels.EntryPoints,
            PoolingKernels.EntryPoints, ReductionKernels.EntryPoints, SoftmaxKernels.EntryPoints,
        }.SelectMany(d => d).Select(d => d.Method),
    ];

    /// <summary>A readable name: "PoolingKernels.MaxForwardKernel", "ElementwiseKernels.UnaryKernel&lt;Silu&gt;".</summary>
    public static string NameOf(MethodInfo kernel) =>
        $"{kernel.DeclaringType!.Name}.{kernel.Name}" +
        (kernel.IsGenericMethod ? $"<{string.Join(", ", kernel.GetGenericArguments().Select(t => t.Name))}>" : "");

    /// <summary>What ILGPU compiles for <paramref name="kernel"/>, as <c>Accelerator.LoadKernel</c> describes it.</summary>
    public static EntryPointDescription Describe(MethodInfo kernel) => EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
}
