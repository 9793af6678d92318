namespace Tensorlet.Kernels;

/// <summary>Pooling on contiguous NCHW buffers (part of <see cref="IBackend"/>).</summary>
public interface IPoolingKernels
{
}
