namespace Tensorlet;

/// <summary>
/// Whether ops record the graph. Off inside <see cref="NoGrad"/> and during <see cref="Tensor.Backward"/>
/// (gradients are not themselves differentiated: no double backward).
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabled;

    /// <summary>True when new ops record autograd nodes on this thread.</summary>
    public static bool IsEnabled => _disabled == 0;

    /// <summary>Disables graph recording until the returned scope is disposed (like <c>torch.no_grad()</c>).</summary>
    public static NoGradScope NoGrad()
    {
        _disabled++;
        return new NoGradScope();
    }

    /// <summary>Re-enables recording when disposed.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        public void Dispose() => _disabled--;
    }
}
