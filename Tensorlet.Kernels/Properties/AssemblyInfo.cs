using System.Runtime.CompilerServices;

// ILGPU's CPU accelerator emits a dynamic assembly that must see the internal argument structs of our kernels.
[assembly: InternalsVisibleTo("ILGPURuntime")]
