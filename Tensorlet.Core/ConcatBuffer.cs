namespace Tensorlet;

/// <summary>
/// A concatenation along dimension 1 (channels) that is allocated once and filled piece by piece: each tensor written
/// into it is copied into its channel slot once, and <see cref="Channels"/> hands out views of any run of written
/// channels — what <c>torch.cat(features, 1)</c> gives at every layer of a dense block, without copying all earlier
/// features again (the shared storage of memory-efficient DenseNet, Pleiss et al. 2017).
/// <para>
/// A view takes part in autograd: its gradient goes to the written tensors it overlaps, each receiving the matching
/// channel slice of the upstream gradient as a strided view. Because views share the buffer's memory, a slot that has
/// been written cannot be written again, and a view can only cover written slots.
/// </para>
/// <para>
/// Disposing the buffer (or the <see cref="TensorScope"/> it was created in) drops its own reference; the memory goes
/// back to the pool with the last view, like any tensor's.
/// </para>
/// </summary>
/// <example><code>
/// using var features = new ConcatBuffer(x, x.Size(1) + layers.Count * growth);   // x is written at channel 0
/// foreach (var layer in layers) features.Append(layer.Call(features.Channels(0, features.Written)));
/// return features.Channels(0, features.Written);
/// </code></example>
public sealed class ConcatBuffer : IDisposable
{
    private readonly Tensor _buffer;
    private readonly List<Part> _parts = new();
    private readonly int[] _partOf;     // per channel: index into _parts, −1 while unwritten
    private readonly bool[] _viewed;    // per channel: covered by a view already handed out

    private readonly record struct Part(int Start, Tensor Source);

    /// <summary>An empty buffer of <paramref name="shape"/> [N, C, ...] on <paramref name="device"/> (default: <see cref="Device.Default"/>).</summary>
    public ConcatBuffer(int[] shape, Device? device = null)
    {
        if (shape.Length < 2 || shape.Any(s => s < 0))
            throw new ArgumentException($"ConcatBuffer: expected a shape [N, C, ...] of non-negative sizes, got {Tensorlet.Shape.Format(shape)}.", nameof(shape));
        _buffer = Tensor.Empty(shape, device ?? Device.Default);
        _partOf = new int[shape[1]];
        Array.Fill(_partOf, -1);
        _viewed = new bool[shape[1]];
    }

    /// <summary>
    /// A buffer of <paramref name="channels"/> channels shaped like <paramref name="first"/> in every other dimension, on
    /// its device, with <paramref name="first"/> already written at channel 0.
    /// </summary>
    public ConcatBuffer(Tensor first, int channels) : this(ShapeFor(first, channels), first.Device) => Append(first);

    /// <summary>The buffer's shape [N, C, ...] (a copy).</summary>
    public int[] Shape => _buffer.Shape;

    /// <summary>C, the channels the buffer holds when full.</summary>
    public int Capacity => _partOf.Length;

    /// <summary>The channel after the last one written: where <see cref="Append"/> writes next.</summary>
    public int Written { get; private set; }

    public Device Device => _buffer.Device;

    /// <summary>Writes <paramref name="tensor"/> at <see cref="Written"/> and returns the channel it starts at.</summary>
    public int Append(Tensor tensor)
    {
        int start = Written;
        Write(start, tensor);
        return start;
    }

    /// <summary>
    /// Copies <paramref name="tensor"/> (same shape as the buffer except in dimension 1) into channels
    /// [<paramref name="start"/>, start + its channels). Those channels must not have been written before.
    /// </summary>
    public void Write(int start, Tensor tensor)
    {
        _buffer.ThrowIfDisposed();
        Tensor.CheckSameDevice("ConcatBuffer.Write", _buffer, tensor);
        var shape = _buffer.ShapeSpan;
        bool fits = tensor.Rank == shape.Length;
        for (int d = 0; fits && d < shape.Length; d++) fits = d == 1 || tensor.ShapeSpan[d] == shape[d];
        if (!fits)
            throw new ArgumentException(
                $"ConcatBuffer.Write: tensor of shape {Tensorlet.Shape.Format(tensor.ShapeSpan)} does not match the buffer {Tensorlet.Shape.Format(shape)} outside dimension 1.",
                nameof(tensor));
        int count = tensor.ShapeSpan[1];
        CheckRange("Write", start, count);
        for (int c = start; c < start + count; c++)
        {
            if (_viewed[c])
                throw new InvalidOperationException(
                    $"ConcatBuffer.Write: channel {c} of the buffer {Tensorlet.Shape.Format(shape)} is already covered by a view from Channels(); " +
                    $"writing channels [{start}, {start + count}) would change values that view's users saved for backward.");
            if (_partOf[c] >= 0)
            {
                var part = _parts[_partOf[c]];
                throw new InvalidOperationException(
                    $"ConcatBuffer.Write: channels [{start}, {start + count}) overlap channels [{part.Start}, {part.Start + part.Source.ShapeSpan[1]}) " +
                    $"written before; each slot of the buffer {Tensorlet.Shape.Format(shape)} is written once.");
            }
        }
        if (count == 0) return;
        using (GradMode.NoGrad())
        using (var slot = _buffer.Narrow(1, start, count))
            slot.CopyFromNoGrad(tensor);
        _parts.Add(new Part(start, tensor));
        Array.Fill(_partOf, _parts.Count - 1, start, count);
        Written = Math.Max(Written, start + count);
    }

    /// <summary>
    /// Channels [<paramref name="start"/>, start + <paramref name="count"/>) as a view of the buffer (no copy;
    /// not contiguous when N &gt; 1). All of them must have been written. The view's gradient flows to the written
    /// tensors it overlaps.
    /// </summary>
    public Tensor Channels(int start, int count)
    {
        _buffer.ThrowIfDisposed();
        CheckRange("Channels", start, count);
        var sources = new List<Part>();
        for (int c = start; c < start + count; c++)
        {
            if (_partOf[c] < 0)
            {
                int end = c;
                while (end < start + count && _partOf[end] < 0) end++;
                throw new InvalidOperationException(
                    $"ConcatBuffer.Channels({start}, {count}): channels [{c}, {end}) of the buffer {Tensorlet.Shape.Format(_buffer.ShapeSpan)} have not been written yet.");
            }
            if (c == start || _partOf[c] != _partOf[c - 1]) sources.Add(_parts[_partOf[c]]);
        }
        Array.Fill(_viewed, true, start, count);

        var shape = _buffer.Shape;
        shape[1] = count;
        var strides = _buffer.Strides;
        var view = _buffer.ViewOf(shape, strides, _buffer.Offset + start * strides[1]);
        var parts = sources.ToArray();
        return Tensor.Record(view, "ConcatBufferBackward", Array.ConvertAll(parts, p => p.Source), g =>
        {
            foreach (var (partStart, source) in parts)
            {
                if (!source.RequiresGrad) continue;
                int size = source.ShapeSpan[1];
                int from = Math.Max(partStart, start), to = Math.Min(partStart + size, start + count);
                if (from == partStart && to == partStart + size)
                {
                    source.AccumulateGrad(g.Narrow(1, partStart - start, size));
                    continue;
                }
                // The window cuts this part: the channels outside it get no gradient from this view.
                var full = Tensor.ZerosLike(source);
                using (var inside = full.Narrow(1, from - partStart, to - from))
                using (var upstream = g.Narrow(1, from - start, to - from))
                    inside.CopyFromNoGrad(upstream);
                source.AccumulateGrad(full);
            }
        });
    }

    /// <summary>Drops the buffer's own reference to its memory; views already handed out keep it alive.</summary>
    public void Dispose() => _buffer.Dispose();

    private void CheckRange(string op, int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Capacity)
            throw new ArgumentOutOfRangeException(count < 0 ? nameof(count) : nameof(start),
                $"ConcatBuffer.{op}: channels [{start}, {start + count}) are outside the buffer {Tensorlet.Shape.Format(_buffer.ShapeSpan)} " +
                $"(channels 0..{Capacity}).");
    }

    private static int[] ShapeFor(Tensor first, int channels)
    {
        if (first.Rank < 2)
            throw new ArgumentException($"ConcatBuffer: the first tensor must be [N, C, ...], got shape {Tensorlet.Shape.Format(first.ShapeSpan)}.", nameof(first));
        var shape = first.Shape;
        shape[1] = channels;
        return shape;
    }
}
