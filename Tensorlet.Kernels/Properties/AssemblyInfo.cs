using System.Runtime.CompilerServices;

// Every assembly that may see this one's internals, in one place (the layering test reads them from the built dll).
// ILGPU's CPU accelerator emits a dynamic assembly that must see the internal argument structs of our kernels.
[assembly: InternalsVisibleTo("ILGPURuntime")]
// The tests reach the kernels' internal building blocks (packing, micro-kernels, argument checks) directly.
[assembly: InternalsVisibleTo("Tensorlet.Tests")]
// The benchmarks time those building blocks on their own.
[assembly: InternalsVisibleTo("Tensorlet.Benchmarks")]
