namespace Tensorlet.Kernels.Cpu;

// Batch-norm and dropout entry points: check sizes and views, then run BatchNorm.cs or fill the mask. Batch norm works
// on rows of HW positions, one per (sample, channel), so data whose positions are dense is walked in place at any batch
// and channel strides (a channel slice x[:, a:b] of a wider NCHW buffer); per-channel vectors are read at any stride.
public sealed partial class CpuBackend
{
    public void BatchNormForward(BatchNormArgs args, in StridedView y)
    {
        long count = OperationChecks.BatchNormForward(this, args, y);
        if (count == 0) return;
        var a = args;
        using var xs = BlockOperand.Read(this, a.X, 2);
        using var ys = BlockOperand.Write(this, y, 2);
        BatchNorm.Forward(a.N, a.C, a.HW, Planes.Of(xs, a.C), ChannelVector.OfOrNull(a.Gamma), ChannelVector.OfOrNull(a.Beta),
                          ChannelVector.OfOrNull(a.RunningMean), ChannelVector.OfOrNull(a.RunningVar), a.UseBatchStats, a.Momentum, a.Eps,
                          Planes.Of(ys, a.C), ChannelVector.Of(a.SaveMean), ChannelVector.Of(a.SaveInvStd));
        ys.Complete();
    }

    public void BatchNormBackward(BatchNormArgs args, in StridedView gradY, BatchNormGrads grads)
    {
        long count = OperationChecks.BatchNormBackward(this, args, gradY, grads);
        var a = args;
        ChannelVector? gg = ChannelVector.OfOrNull(grads.GradGamma), gb = ChannelVector.OfOrNull(grads.GradBeta);
        if (count == 0)
        {
            for (int ch = 0; ch < a.C; ch++)
            {
                if (gg is { } g) g[ch] = 0f;
                if (gb is { } b) b[ch] = 0f;
            }
            return;
        }
        using var xs = BlockOperand.Read(this, a.X, 2);
        using var gys = BlockOperand.Read(this, gradY, 2);
        using var gxs = grads.GradX is { } gx ? BlockOperand.Write(this, gx, 2) : default;
        BatchNorm.Backward(a.N, a.C, a.HW, Planes.Of(xs, a.C), Planes.Of(gys, a.C), ChannelVector.OfOrNull(a.Gamma), ChannelVector.Of(a.SaveMean),
                           ChannelVector.Of(a.SaveInvStd), a.UseBatchStats, grads.GradX == null ? null : Planes.Of(gxs, a.C), gg, gb);
        gxs.Complete();
    }

    public void DropoutMask(in StridedView mask, float p, ulong seed, ulong counterBase)
    {
        float scale = OperationChecks.DropoutMask(this, mask, p);
        using var m = DenseOperand.Write(this, mask);
        var data = Array(m.Buffer);
        int offset = m.Offset;
        Threads.For(mask.Count, StridedLoop.MinPerPart, (s, e) =>
        {
            for (int i = s; i < e; i++) data[offset + i] = DropoutHash.Mask(p, scale, seed, counterBase + (ulong)i);
        });
        m.Complete();
    }
}
