namespace Tensorlet;

/// <summary>
/// One recorded op in the autograd graph: its inputs and the closure that, given the gradient of the op's
/// output, adds each input's gradient (micrograd's <c>_backward</c>). The closure holds whatever the op saved.
/// </summary>
public sealed class Node
{
    private Action<Tensor>? _backward;

    internal Node(string name, Tensor[] inputs, Action<Tensor> backward, int[] outputShape)
    {
        Name = name;
        Inputs = inputs;
        _backward = backward;
        OutputShape = outputShape;
    }

    /// <summary>The op's name as shown in <c>grad_fn=&lt;...&gt;</c> ("AddBackward", "MatMulBackward", ...).</summary>
    public string Name { get; }

    /// <summary>The tensors this op consumed (empty once the graph is freed).</summary>
    public Tensor[] Inputs { get; private set; }

    /// <summary>The shape of the tensor this op produced (the shape of the gradient it receives).</summary>
    public IReadOnlyList<int> OutputShape { get; }

    /// <summary>The nodes that produced this op's inputs, in input order; null for an input that is a leaf or a constant.</summary>
    public IReadOnlyList<Node?> Next => Array.ConvertAll(Inputs, t => t.GradFn);

    /// <summary>True once <see cref="Tensor.Backward"/> has run through this node and dropped what it saved.</summary>
    public bool IsReleased => _backward == null;

    internal void Apply(Tensor outputGrad)
    {
        if (_backward == null)
            throw new InvalidOperationException(
                $"Trying to backward through {Name} a second time: the graph was freed by the first Backward(). " +
                "Pass retainGraph: true to the first call if you need to.");
        _backward(outputGrad);
    }

    /// <summary>Drops the inputs and saved tensors so their memory can go back to the pool.</summary>
    internal void Release()
    {
        _backward = null;
        Inputs = [];
    }
}
