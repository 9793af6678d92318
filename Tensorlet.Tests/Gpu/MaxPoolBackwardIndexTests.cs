using Tensorlet.Kernels;
using Tensorlet.Tests.Kernels;
using static Tensorlet.Tests.Gpu.GpuTestKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;
using Ref = Tensorlet.Kernels.Reference;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// Max-pool backward refuses an index its forward pass could not have produced — outside its own output's window
/// (even if inside the plane), outside the plane, fractional, infinite or NaN — on the CPU backend and the reference
/// (at once) and on the GPU backend (at the next synchronisation, like a bad Gather index), instead of moving a
/// gradient somewhere the forward never looked or dropping it.
/// </summary>
public class MaxPoolBackwardIndexTests
{
    // Two 4×4 planes, 2×2 windows with stride 2: output (0, 1) of plane 1 (flat output 5) reads rows [0, 2), columns [2, 4).
    private static readonly Pool2dGeometry G = new(1, 2, 4, 4, 2, 2, 2, 2);

    private static StridedView Out(DeviceBuffer buffer) => View(buffer, 0, G.OutputShape());
    private const int BadOutput = 5;

    /// <summary>0: in the plane, but in output (0, 0)'s window; 16: one past the plane.</summary>
    private static readonly float[] BadIndices = [0f, 16f, -1f, 2.5f, float.NaN, float.PositiveInfinity];

    private static (float[] Indices, float[] GradY) ValidForward()
    {
        var x = Random(CpuPoolingTests.InCount(G), 7);
        var (_, indices) = Ref.Pooling.MaxPool2d(G, x);
        return (indices, Random(indices.Length, 8));
    }

    private static float[] Corrupt(float[] indices, float bad)
    {
        var copy = (float[])indices.Clone();
        copy[BadOutput] = bad;
        return copy;
    }

    [Test]
    public void ValidIndicesAreAcceptedByEveryBackend()
    {
        var (indices, gradY) = ValidForward();
        var expected = Ref.Pooling.MaxPool2dBackward(G, gradY, indices);
        foreach (var backend in new IBackend[] { Cpu, TestGpu })
        {
            var gradX = Run(backend, [gradY, indices, new float[CpuPoolingTests.InCount(G)]],
                            (b, m) => b.MaxPool2dBackward(G, Out(m[0]), Out(m[1]), View(m[2], 0, G.InputShape())))[2];
            AssertClose(expected, gradX, 0, 0, backend.Name);
        }
    }

    [TestCaseSource(nameof(BadIndices))]
    public void CpuThrowsNamingTheOutput(float bad)
    {
        var (indices, gradY) = ValidForward();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Run(Cpu, [gradY, Corrupt(indices, bad), new float[CpuPoolingTests.InCount(G)]],
                (b, m) => b.MaxPool2dBackward(G, Out(m[0]), Out(m[1]), View(m[2], 0, G.InputShape()))))!;
        // The message every backend gives (OperationChecks.BadMaxPoolIndex): output 1 of plane 1 is output (0, 1).
        Assert.That(ex.Message, Does.Contain("MaxPool2dBackward").And.Contain($"index {bad} of output 1 in plane 1"));
    }

    [TestCaseSource(nameof(BadIndices))]
    public void ReferenceThrowsNamingTheOutput(float bad)
    {
        var (indices, gradY) = ValidForward();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Ref.Pooling.MaxPool2dBackward(G, gradY, Corrupt(indices, bad)))!;
        Assert.That(ex.Message, Does.Contain("MaxPool2dBackward").And.Contain($"index {bad} of output 1 in plane 1"));
    }

    [TestCaseSource(nameof(BadIndices))]
    public void GpuReportsAtTheNextSynchronisationAndSkipsOnlyTheBadOutput(float bad)
    {
        var (indices, gradY) = ValidForward();
        using var gy = GpuTestKit.Upload(TestGpu, gradY);
        using var idx = GpuTestKit.Upload(TestGpu, Corrupt(indices, bad));
        using var gx = TestGpu.Allocate(CpuPoolingTests.InCount(G));
        TestGpu.MaxPool2dBackward(G, Out(gy), Out(idx), View(gx, 0, G.InputShape()));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(TestGpu.Synchronize)!;
        Assert.That(ex.Message, Does.Contain("MaxPool2dBackward").And.Contain($"index {bad} of output 1 in plane 1")
                                    .And.Contain("next synchronisation"));
        // Reported once; every other output's gradient still reached its input.
        var skipped = (float[])gradY.Clone();
        skipped[BadOutput] = 0f;
        AssertClose(Ref.Pooling.MaxPool2dBackward(G, skipped, indices), GpuTestKit.Download(TestGpu, gx), 0, 0, "gradX without the bad output");
    }
}
