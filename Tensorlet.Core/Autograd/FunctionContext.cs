namespace Tensorlet;

/// <summary>
/// What one call of a <see cref="Function"/> hands from its forward to its backward (PyTorch's <c>ctx</c>): the tensors
/// saved for the gradient, and which inputs need one. A new context is made for every <see cref="Function.Apply"/>.
/// </summary>
public sealed class FunctionContext
{
    private readonly Tensor[] _inputs;
    private Tensor[] _saved = [];

    internal FunctionContext(Tensor[] inputs) => _inputs = inputs;

    /// <summary>Keeps <paramref name="tensors"/> for <see cref="SavedTensors"/> (replacing what an earlier call saved).</summary>
    public void SaveForBackward(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _saved = (Tensor[])tensors.Clone();
    }

    /// <summary>The tensors given to <see cref="SaveForBackward"/>, in the same order.</summary>
    public IReadOnlyList<Tensor> SavedTensors => _saved;

    /// <summary>How many inputs the function was applied to.</summary>
    public int InputCount => _inputs.Length;

    /// <summary>Whether input <paramref name="index"/> requires grad: its gradient may be skipped (returned as null) when not.</summary>
    public bool NeedsInputGrad(int index)
    {
        if ((uint)index >= (uint)_inputs.Length)
            throw new ArgumentOutOfRangeException(nameof(index), $"NeedsInputGrad({index}): the function has {_inputs.Length} input(s).");
        return _inputs[index].RequiresGrad;
    }
}
