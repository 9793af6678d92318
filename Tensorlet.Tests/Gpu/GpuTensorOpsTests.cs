namespace Tensorlet.Tests.Gpu;

/// <summary>
/// Tensor-level ops with autograd on the GPU device (ILGPU's CPU accelerator) against the same ops on the CPU: each
/// function runs on both, and the outputs and the gradients of every input must agree. This covers the paths from
/// Core (views, broadcasting, reductions over dims, joining, losses) into the GPU kernels.
/// </summary>
public class GpuTensorOpsTests
{
    private static void AssertSameOnBothDevices(string what, int[][] shapes, Func<Tensor[], Tensor> f, double tol = 2e-5)
    {
        var hosts = shapes.Select((s, i) => Tensor.Randn(s, new Generator((ulong)(i + 1))).ToArray()).ToArray();
        (float[] Output, float[][] Grads) On(Device device)
        {
            var inputs = hosts.Select((h, i) => Tensor.FromArray(h, shapes[i], device, requiresGrad: true)).ToArray();
            var y = f(inputs);
            var upstream = Tensor.FromArray(Tensor.Randn(y.Shape, new Generator(99)).ToArray(), y.Shape, device);
            y.Mul(upstream).Sum().Backward();
            return (y.ToArray(), inputs.Select(x => x.Grad!.ToArray()).ToArray());
        }
        var (cpuOut, cpuGrads) = On(Device.Cpu);
        var (gpuOut, gpuGrads) = On(Device.IlgpuCpu);
        Kernels.KernelTestKit.AssertClose(cpuOut, gpuOut, tol, tol, $"{what}: output");
        for (int i = 0; i < shapes.Length; i++) Kernels.KernelTestKit.AssertClose(cpuGrads[i], gpuGrads[i], tol, tol, $"{what}: gradient of input {i}");
    }

    [Test]
    public void ArithmeticBroadcastingAndViews() =>
        AssertSameOnBothDevices("broadcast arithmetic on views", [[3, 4, 5], [4, 1], [5]],
            x => x[0].Transpose(1, 2).Mul(x[2].View(5, 1)).Add(x[1].T.Unsqueeze(0)).Sigmoid().Pow(2f).Sub(x[0].Tanh().Transpose(1, 2).Exp()).Narrow(1, 1, 3));

    [Test]
    public void ReductionsOverDims() =>
        AssertSameOnBothDevices("sum, mean, max over dims", [[4, 6, 7]],
            x => x[0].Sum(1).Add(x[0].Mean([0, 1], keepDim: true).Squeeze(0).Expand(4, 7).Mul(0.5f)).Add(x[0].Max(2, keepDim: false).Values.Sum(1, keepDim: true)));

    [Test]
    public void MatMulBatchedAndTransposed() =>
        AssertSameOnBothDevices("matmul", [[2, 5, 7], [7, 3], [2, 3, 5]],
            x => x[0].MatMul(x[1]).Add(x[2].Transpose(1, 2)).MatMul(x[1].T));

    [Test]
    public void JoiningAndIndexing() =>
        AssertSameOnBothDevices("cat, split, pad, where, gather", [[2, 3, 4], [2, 5, 4]],
            x =>
            {
                var joined = Tensor.Cat([x[0], x[1]], 1);
                var parts = joined.Split(4, 1);
                var padded = parts[0].Pad([1, 2]);
                var picked = joined.Gather(1, Tensor.FromArray([0, 7, 2, 3, 1, 0, 6, 5], [2, 1, 4], joined.Device));
                return Tensor.Where(padded.Gt(0f), padded, padded.Mul(-2f)).Sum(2).Add(picked.Sum([1, 2]).Unsqueeze(1));
            });

    [Test]
    public void ConvolutionPoolingAndNormalisation() =>
        AssertSameOnBothDevices("conv, batch norm, pools, CReLU", [[2, 3, 9, 9], [4, 3, 3, 3], [4], [8], [8]],
            x =>
            {
                var y = F.Conv2d(x[0], x[1], x[2], stride: 1, padding: 1);
                y = F.CReLU(y);
                y = F.BatchNorm(y, null, null, x[3], x[4], training: true);
                var a = F.MaxPool2d(y, 3, 2, 1, ceilMode: true);
                var b = F.AvgPool2d(y, 2);
                return a.Sum([2, 3]).Add(b.Sum([2, 3])).Add(F.AdaptiveAvgPool2d(y, 3).Sum([2, 3]));
            }, tol: 1e-4);

    [Test]
    public void SoftmaxAndLosses() =>
        AssertSameOnBothDevices("log-softmax, cross-entropy with smoothing, MSE", [[6, 10], [6, 10]],
            x =>
            {
                var labels = Tensor.FromArray([1, 0, 9, 3, 3, 7], [6], x[0].Device);
                var ce = F.CrossEntropy(x[0], labels, labelSmoothing: 0.1f);
                return x[0].Softmax(1).Mul(x[1]).Sum(1).Add(ce).Add(F.MseLoss(x[0], x[1]));
            });
}
