namespace Tensorlet.Kernels;

/// <summary>2-D convolution on contiguous NCHW buffers (part of <see cref="IBackend"/>).</summary>
public interface IConvolutionKernels
{
}
