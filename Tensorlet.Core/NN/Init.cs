namespace Tensorlet.NN;

/// <summary>Weight initialisers; every one draws from an explicit <see cref="Generator"/>.</summary>
public static class Init
{
    /// <summary>Uniform samples in [low, high).</summary>
    public static Tensor Uniform(int[] shape, float low, float high, Generator generator)
    {
        var data = new float[Shape.Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = low + (high - low) * generator.NextFloat();
        return Tensor.FromArray(data, shape);
    }

    /// <summary>Normal samples with the given mean and standard deviation.</summary>
    public static Tensor Normal(int[] shape, float mean, float std, Generator generator)
    {
        var data = new float[Shape.Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = mean + std * generator.NextNormal();
        return Tensor.FromArray(data, shape);
    }
}
