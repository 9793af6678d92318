using Tensorlet.Kernels;

namespace Tensorlet;

public sealed partial class Tensor
{
    /// <summary>
    /// Moves this leaf's data to <paramref name="device"/> behind the same object (PyTorch's <c>module.to</c> does the
    /// same through <c>param.data</c>), so everything holding the tensor — an optimizer above all — sees the move. Its
    /// gradient moves with it. Views taken earlier keep the old memory; the data is laid out contiguously.
    /// </summary>
    internal void MoveDataTo(Device device)
    {
        ThrowIfDisposed();
        if (device.Equals(Device)) return;
        if (!IsLeaf)
            throw new InvalidOperationException(
                $"Only a leaf tensor can be moved in place; this one (shape {Tensorlet.Shape.Format(_shape)}) was produced by {GradFn!.Name}.");
        var data = ToArray();
        var storage = Storage.Allocate(device, data.Length);
        device.Backend.Upload(data, storage.Buffer, 0);
        _storage.Release();
        _storage = storage;
        StridedView.ContiguousStrides(_shape).CopyTo(_strides, 0);
        Offset = 0;
        Grad?.MoveDataTo(device);
    }
}
