namespace Tensorlet;

// Activations composed from other ops; their gradients come from the parts.
public static partial class F
{
    /// <summary>
    /// Concatenated ReLU (Shang et al., 2016): cat(relu(x), relu(−x)) along <paramref name="dim"/> (the channel axis by
    /// default), doubling that axis. Keeps both signs of a pre-activation, so no information is cut off.
    /// </summary>
    public static Tensor CReLU(Tensor x, int dim = 1) => Tensor.Cat([x.Relu(), x.Neg().Relu()], dim);
}
