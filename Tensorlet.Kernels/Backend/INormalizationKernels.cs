namespace Tensorlet.Kernels;

/// <summary>Batch normalisation and dropout masks (part of <see cref="IBackend"/>).</summary>
public interface INormalizationKernels
{
}
