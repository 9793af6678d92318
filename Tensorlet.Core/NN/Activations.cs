namespace Tensorlet.NN;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module
{
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>x if x &gt; 0 else slope·x.</summary>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module
{
    public float NegativeSlope { get; } = negativeSlope;
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
    protected override string Describe() => $"LeakyReLU(negative_slope={NegativeSlope})";
}

/// <summary>1/(1 + e^−x).</summary>
public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>tanh x.</summary>
public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>x·σ(x) (SiLU, also called swish).</summary>
public sealed class SiLU : Module
{
    public override Tensor Forward(Tensor input) => input.Silu();
}

/// <summary>Merges dims <c>startDim..endDim</c> (default: all but the batch dim).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
    protected override string Describe() => $"Flatten(start_dim={startDim}, end_dim={endDim})";
}

/// <summary>Returns its input unchanged.</summary>
public sealed class Identity : Module
{
    public override Tensor Forward(Tensor input) => input;
}
