using Tensorlet.Kernels;

namespace Tensorlet;

public sealed partial class Tensor
{
    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value, Device? device = null, bool requiresGrad = false)
    {
        var t = Empty(shape, device ?? Device.Default);
        t.Backend.Fill(t.AsStrided(), value);
        t._requiresGrad = requiresGrad;
        return t;
    }

    public static Tensor Zeros(params int[] shape) => Full(shape, 0f);
    public static Tensor Zeros(int[] shape, Device? device = null, bool requiresGrad = false) => Full(shape, 0f, device, requiresGrad);
    public static Tensor Ones(params int[] shape) => Full(shape, 1f);
    public static Tensor Ones(int[] shape, Device? device = null, bool requiresGrad = false) => Full(shape, 1f, device, requiresGrad);

    public static Tensor ZerosLike(Tensor t) => Full(t._shape, 0f, t.Device);
    public static Tensor OnesLike(Tensor t) => Full(t._shape, 1f, t.Device);
    public static Tensor FullLike(Tensor t, float value) => Full(t._shape, value, t.Device);

    /// <summary>A one-element tensor of shape [] (a scalar).</summary>
    public static Tensor Scalar(float value, Device? device = null) => Full([], value, device);

    /// <summary>[start, start + step, ...) up to but excluding <paramref name="end"/>, like <c>torch.arange</c>.</summary>
    public static Tensor Arange(float start, float end, float step = 1f, Device? device = null)
    {
        if (step == 0 || float.IsNaN(step)) throw new ArgumentException("Arange: step must be non-zero.", nameof(step));
        int n = (int)Math.Max(0, Math.Ceiling((end - (double)start) / step));
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float)(start + (double)i * step);
        return FromArray(data, [n], device);
    }

    /// <summary>[0, 1, ..., end − 1].</summary>
    public static Tensor Arange(int end, Device? device = null) => Arange(0, end, 1, device);

    /// <summary>Uniform samples in [0, 1) from <paramref name="generator"/> (the default generator if null).</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null, Device? device = null, bool requiresGrad = false) =>
        Sample(shape, (generator ?? Generator.Default).NextFloat, device, requiresGrad);

    /// <summary>Standard normal samples from <paramref name="generator"/> (the default generator if null).</summary>
    public static Tensor Randn(int[] shape, Generator? generator = null, Device? device = null, bool requiresGrad = false) =>
        Sample(shape, (generator ?? Generator.Default).NextNormal, device, requiresGrad);

    // Draws on the host, in row-major order, so a seed gives the same tensor on every device.
    private static Tensor Sample(int[] shape, Func<float> next, Device? device, bool requiresGrad)
    {
        if ((device ?? Device.Default).IsMeta) return Full(shape, 0f, Device.Meta, requiresGrad);
        var data = new float[Tensorlet.Shape.Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = next();
        return FromArray(data, shape, device, requiresGrad);
    }

    /// <summary>Copies <paramref name="data"/> (row-major) into a new tensor of <paramref name="shape"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, int[] shape, Device? device = null, bool requiresGrad = false)
    {
        int n = Tensorlet.Shape.Count(shape);
        if (data.Length != n)
            throw new ArgumentException(
                $"FromArray: {data.Length} values cannot fill shape {Tensorlet.Shape.Format(shape)} ({n} elements).");
        var t = Empty(shape, device ?? Device.Default);
        t.Backend.Upload(data, t.Buffer, 0);
        t._requiresGrad = requiresGrad;
        return t;
    }

    /// <summary>A 1-D tensor of <paramref name="data"/>.</summary>
    public static Tensor FromArray(float[] data) => FromArray(data, [data.Length]);

    /// <summary>The elements in row-major order, copied to a new host array.</summary>
    public float[] ToArray()
    {
        var result = new float[Count];
        CopyTo(result);
        return result;
    }

    /// <summary>Copies the elements in row-major order into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length != Count)
            throw new ArgumentException($"CopyTo: destination holds {destination.Length} floats, the tensor {Count}.");
        if (IsContiguous) Backend.Download(Buffer, Offset, destination);
        else
        {
            using var c = Contiguous();
            c.Backend.Download(c.Buffer, c.Offset, destination);
        }
    }

    /// <summary>The value of a one-element tensor (the only host copy a training step needs).</summary>
    public float Item()
    {
        if (Count != 1)
            throw new InvalidOperationException($"Item() needs a one-element tensor, but the shape is {Tensorlet.Shape.Format(_shape)}.");
        Span<float> one = stackalloc float[1];
        Backend.Download(Buffer, Offset, one);
        return one[0];
    }

    /// <summary>
    /// The elements as a span over the CPU buffer (contiguous CPU tensors only; writes are visible to the tensor
    /// and bypass autograd).
    /// </summary>
    public Span<float> AsSpan()
    {
        if (Backend.HostArray(Buffer) is not { } host)
            throw new InvalidOperationException($"AsSpan() is for CPU tensors; this one is on {Device}. Use ToArray().");
        if (!IsContiguous)
            throw new InvalidOperationException($"AsSpan() needs a contiguous tensor (shape {Tensorlet.Shape.Format(_shape)}, strides {Tensorlet.Shape.Format(_strides)}); call Contiguous() first.");
        return host.AsSpan(Offset, Count);
    }

    /// <summary>A contiguous copy with no autograd history.</summary>
    public Tensor Clone()
    {
        var t = Empty(_shape, Device);
        Backend.Copy(AsStrided(), t.AsStrided());
        return t;
    }

    /// <summary>This tensor on <paramref name="device"/> (itself if already there); differentiable.</summary>
    public Tensor To(Device device)
    {
        if (device.Equals(Device)) return this;
        var data = ToArray();
        var t = FromArray(data, _shape, device);
        return Record(t, "ToBackward", [this], g => AccumulateGrad(g.To(Device)));
    }
}
