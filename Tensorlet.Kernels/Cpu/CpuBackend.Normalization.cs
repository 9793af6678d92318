namespace Tensorlet.Kernels.Cpu;

// Batch-norm and dropout entry points: check sizes and buffers, then run BatchNorm.cs or fill the mask.
public sealed partial class CpuBackend
{
    public void BatchNormForward(int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer? gamma, DeviceBuffer? beta,
                                 DeviceBuffer? runningMean, DeviceBuffer? runningVar, bool useBatchStats, float momentum, float eps,
                                 DeviceBuffer y, int yOffset, DeviceBuffer saveMean, DeviceBuffer saveInvStd)
    {
        const string Op = "BatchNormForward";
        long count = BatchNormCount(Op, n, c, hw);
        var px = PoolOperand(Op, nameof(x), x, xOffset, count);
        var py = PoolOperand(Op, nameof(y), y, yOffset, count);
        var rm = Channels(Op, nameof(runningMean), runningMean, c);
        var rv = Channels(Op, nameof(runningVar), runningVar, c);
        if (!useBatchStats && (rm == null || rv == null))
            throw new ArgumentException($"{Op}: normalising with running statistics needs both runningMean and runningVar.");
        var pg = Channels(Op, nameof(gamma), gamma, c);
        var pb = Channels(Op, nameof(beta), beta, c);
        var sm = Channels(Op, nameof(saveMean), saveMean, c)!;
        var si = Channels(Op, nameof(saveInvStd), saveInvStd, c)!;
        if (count == 0) return;
        BatchNorm.Forward(n, c, hw, px, xOffset, pg, pb, rm, rv, useBatchStats, momentum, eps, py, yOffset, sm, si);
    }

    public void BatchNormBackward(int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gradYOffset,
                                  DeviceBuffer? gamma, DeviceBuffer saveMean, DeviceBuffer saveInvStd, bool useBatchStats,
                                  DeviceBuffer? gradX, int gradXOffset, DeviceBuffer? gradGamma, DeviceBuffer? gradBeta)
    {
        const string Op = "BatchNormBackward";
        long count = BatchNormCount(Op, n, c, hw);
        var px = PoolOperand(Op, nameof(x), x, xOffset, count);
        var gy = PoolOperand(Op, nameof(gradY), gradY, gradYOffset, count);
        var gx = gradX == null ? null : PoolOperand(Op, nameof(gradX), gradX, gradXOffset, count);
        var pg = Channels(Op, nameof(gamma), gamma, c);
        var sm = Channels(Op, nameof(saveMean), saveMean, c)!;
        var si = Channels(Op, nameof(saveInvStd), saveInvStd, c)!;
        var gg = Channels(Op, nameof(gradGamma), gradGamma, c);
        var gb = Channels(Op, nameof(gradBeta), gradBeta, c);
        if (count == 0)
        {
            gg?.AsSpan(0, c).Clear();
            gb?.AsSpan(0, c).Clear();
            return;
        }
        BatchNorm.Backward(n, c, hw, px, xOffset, gy, gradYOffset, pg, sm, si, useBatchStats, gx, gradXOffset, gg, gb);
    }

    public void DropoutMask(DeviceBuffer mask, int offset, int count, float p, ulong seed, ulong counterBase)
    {
        const string Op = "DropoutMask";
        ArgumentChecks.NonNegative(Op, (nameof(count), count));
        if (!(p >= 0f && p <= 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, $"{Op}: p must be in [0, 1].");
        var data = PoolOperand(Op, nameof(mask), mask, offset, count);
        float scale = p >= 1f ? 0f : 1f / (1f - p);
        Threads.For(count, StridedLoop.MinPerPart, (s, e) =>
        {
            for (int i = s; i < e; i++) data[offset + i] = DropoutHash.Mask(p, scale, seed, counterBase + (ulong)i);
        });
    }

    private static long BatchNormCount(string op, int n, int c, int hw)
    {
        ArgumentChecks.NonNegative(op, (nameof(n), n), (nameof(c), c), (nameof(hw), hw));
        return (long)n * c * hw;
    }

    /// <summary>A per-channel vector: null stays null, otherwise it must hold <paramref name="c"/> floats from element 0.</summary>
    private float[]? Channels(string op, string arg, DeviceBuffer? buffer, int c) =>
        buffer == null ? null : PoolOperand(op, arg, buffer, 0, c);
}
