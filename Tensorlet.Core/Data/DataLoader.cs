namespace Tensorlet.Data;

/// <summary>One mini-batch: images [B, C, H, W] and class indices [B] (as floats), on the loader's device.</summary>
public readonly record struct Batch(Tensor Images, Tensor Labels) : IDisposable
{
    public int Size => Labels.Size(0);

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>
/// Iterates an <see cref="ImageDataset"/> in mini-batches, like <c>torch.utils.data.DataLoader</c>: a seeded
/// shuffle per epoch, optional drop-last, and per-image transforms. A background thread assembles the next
/// batches into a small ring of reused host buffers while the model trains on the current one, so the cores
/// never wait for data and steady-state loading allocates nothing.
/// </summary>
public sealed class DataLoader
{
    private readonly ImageDataset _data;
    private readonly ITransform[] _transforms;
    private readonly Generator _shuffle;
    private readonly Generator _augment;

    public DataLoader(ImageDataset dataset, int batchSize, bool shuffle = false, bool dropLast = false,
                      Generator? generator = null, IEnumerable<ITransform>? transforms = null, int prefetch = 2, Device? device = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "DataLoader: batch size must be positive.");
        if (prefetch < 1) throw new ArgumentOutOfRangeException(nameof(prefetch), prefetch, "DataLoader: prefetch must be at least 1.");
        _data = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Prefetch = prefetch;
        Device = device ?? Device.Cpu;
        _transforms = transforms?.ToArray() ?? [];
        var g = generator ?? Generator.Default;
        // Two streams: the shuffle (consumer thread) and augmentation (loading thread) never share a generator.
        _shuffle = new Generator(g.NextUInt64());
        _augment = new Generator(g.NextUInt64());
    }

    public int BatchSize { get; }
    public bool Shuffle { get; }
    public bool DropLast { get; }
    public int Prefetch { get; }
    public Device Device { get; }
    public ImageDataset Dataset => _data;

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => DropLast ? _data.Count / BatchSize : (_data.Count + BatchSize - 1) / BatchSize;

    /// <summary>Generator states, for checkpoints that resume bit-identically.</summary>
    public ulong[][] GetState() => [_shuffle.GetState(), _augment.GetState()];

    public void SetState(ulong[][] state)
    {
        if (state.Length != 2) throw new ArgumentException("DataLoader state has two generator states.");
        _shuffle.SetState(state[0]);
        _augment.SetState(state[1]);
    }

    /// <summary>
    /// One pass over the data. Each batch's tensors belong to the caller (or the caller's <see cref="TensorScope"/>);
    /// leaving the loop early stops the loading thread.
    /// </summary>
    public IEnumerable<Batch> Epoch()
    {
        var order = new int[_data.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (Shuffle) _shuffle.Shuffle<int>(order);
        int batches = BatchCount;
        if (batches == 0) yield break;

        int slots = Prefetch + 1, imageSize = _data.ImageSize;
        var images = new float[slots][];
        var labels = new float[slots][];
        for (int s = 0; s < slots; s++)
        {
            images[s] = new float[BatchSize * imageSize];
            labels[s] = new float[BatchSize];
        }
        using var free = new SemaphoreSlim(slots);
        using var ready = new SemaphoreSlim(0);
        var stop = false;
        Exception? error = null;
        var loader = new Thread(() =>
        {
            try
            {
                for (int b = 0; b < batches && !Volatile.Read(ref stop); b++)
                {
                    free.Wait();
                    if (Volatile.Read(ref stop)) break;
                    Fill(order, b, images[b % slots], labels[b % slots]);
                    ready.Release();
                }
            }
            catch (Exception ex)
            {
                error = ex;
                ready.Release();
            }
        }) { IsBackground = true, Name = "tensorlet-dataloader" };
        loader.Start();
        try
        {
            for (int b = 0; b < batches; b++)
            {
                ready.Wait();
                if (error != null) throw new InvalidOperationException("DataLoader: the loading thread failed.", error);
                int size = Math.Min(BatchSize, _data.Count - b * BatchSize);
                var batch = new Batch(
                    Tensor.FromArray(images[b % slots].AsSpan(0, size * imageSize), [size, _data.Channels, _data.Height, _data.Width], Device),
                    Tensor.FromArray(labels[b % slots].AsSpan(0, size), [size], Device));
                free.Release();
                yield return batch;
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            free.Release();
            loader.Join();
        }
    }

    private void Fill(int[] order, int batch, float[] images, float[] labels)
    {
        int start = batch * BatchSize, size = Math.Min(BatchSize, _data.Count - start);
        int imageSize = _data.ImageSize;
        for (int i = 0; i < size; i++)
        {
            int idx = order[start + i];
            var dst = images.AsSpan(i * imageSize, imageSize);
            _data.Image(idx).CopyTo(dst);
            foreach (var t in _transforms) t.Apply(dst, _data.Channels, _data.Height, _data.Width, _augment);
            labels[i] = _data.Labels[idx];
        }
    }
}
