namespace Tensorlet.NN;

/// <summary>Which fan a Kaiming initialiser preserves: the forward pass's variance (fan in) or the backward pass's (fan out).</summary>
public enum FanMode
{
    FanIn,
    FanOut,
}

/// <summary>
/// Weight initialisers with <c>torch.nn.init</c>'s formulas; every one draws from an explicit <see cref="Generator"/>.
/// Fans follow PyTorch: for a weight [out, in, k...], fan_in = in·Πk and fan_out = out·Πk. The Xavier/Kaiming forms
/// fill an existing tensor in place (outside autograd), like PyTorch's trailing-underscore functions.
/// </summary>
public static class Init
{
    /// <summary>Uniform samples in [low, high).</summary>
    public static Tensor Uniform(int[] shape, float low, float high, Generator generator)
    {
        if (Device.Default.IsMeta) return Tensor.Zeros(shape, Device.Meta);
        var data = new float[Shape.Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = low + (high - low) * generator.NextFloat();
        return Tensor.FromArray(data, shape);
    }

    /// <summary>Normal samples with the given mean and standard deviation.</summary>
    public static Tensor Normal(int[] shape, float mean, float std, Generator generator)
    {
        if (Device.Default.IsMeta) return Tensor.Zeros(shape, Device.Meta);
        var data = new float[Shape.Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = mean + std * generator.NextNormal();
        return Tensor.FromArray(data, shape);
    }

    /// <summary>(fan_in, fan_out) of a weight of <paramref name="shape"/>, as <c>torch.nn.init._calculate_fan_in_and_fan_out</c>.</summary>
    public static (int FanIn, int FanOut) Fans(int[] shape)
    {
        if (shape.Length < 2)
            throw new ArgumentException($"Init: fan in and fan out need a weight of at least 2 dimensions, got {Shape.Format(shape)}.");
        int receptive = 1;
        for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>
    /// The recommended gain of a nonlinearity, as <c>torch.nn.init.calculate_gain</c>: linear/conv/sigmoid 1, tanh 5/3,
    /// relu √2, leaky_relu √(2/(1 + slope²)), selu 3/4.
    /// </summary>
    public static float Gain(string nonlinearity, float negativeSlope = 0.01f) => nonlinearity.ToLowerInvariant() switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "sigmoid" => 1f,
        "tanh" => 5f / 3f,
        "relu" => MathF.Sqrt(2f),
        "leaky_relu" => MathF.Sqrt(2f / (1f + negativeSlope * negativeSlope)),
        "selu" => 0.75f,
        _ => throw new ArgumentException($"Init.Gain: unknown nonlinearity '{nonlinearity}'."),
    };

    /// <summary>Xavier/Glorot uniform: U(−a, a), a = gain·√(6/(fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor weight, Generator generator, float gain = 1f)
    {
        var (fanIn, fanOut) = Fans(weight.Shape);
        float a = gain * MathF.Sqrt(6f / (fanIn + fanOut));
        return Fill(weight, Uniform(weight.Shape, -a, a, generator));
    }

    /// <summary>Xavier/Glorot normal: N(0, std²), std = gain·√(2/(fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor weight, Generator generator, float gain = 1f)
    {
        var (fanIn, fanOut) = Fans(weight.Shape);
        return Fill(weight, Normal(weight.Shape, 0f, gain * MathF.Sqrt(2f / (fanIn + fanOut)), generator));
    }

    /// <summary>Kaiming/He uniform: U(−b, b), b = gain·√(3/fan), gain = <see cref="Gain"/>(nonlinearity, a).</summary>
    public static Tensor KaimingUniform(Tensor weight, Generator generator, float a = 0f, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu")
    {
        float bound = KaimingStd(weight, a, mode, nonlinearity) * MathF.Sqrt(3f);
        return Fill(weight, Uniform(weight.Shape, -bound, bound, generator));
    }

    /// <summary>Kaiming/He normal: N(0, std²), std = gain/√fan.</summary>
    public static Tensor KaimingNormal(Tensor weight, Generator generator, float a = 0f, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu") =>
        Fill(weight, Normal(weight.Shape, 0f, KaimingStd(weight, a, mode, nonlinearity), generator));

    private static float KaimingStd(Tensor weight, float a, FanMode mode, string nonlinearity)
    {
        var (fanIn, fanOut) = Fans(weight.Shape);
        return Gain(nonlinearity, a) / MathF.Sqrt(mode == FanMode.FanIn ? fanIn : fanOut);
    }

    private static Tensor Fill(Tensor weight, Tensor values)
    {
        using (values)
        using (GradMode.NoGrad())
            weight.CopyFrom(values);
        return weight;
    }
}
