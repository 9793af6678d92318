using System.Numerics;
using System.Runtime.Intrinsics;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Ops;
using Tensorlet.Tests.Kernels;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Gpu.GpuTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// An op defined outside Tensorlet.Kernels, as nothing but its struct, runs on the CPU backend, on the GPU backend (ILGPU
/// compiles its scalar form) and in the reference: the backends need no edit for a new op.
/// </summary>
public class ExternalElementwiseOpTests
{
    /// <summary>y = α·x³ + β, scalar form only (the CPU falls back to looping it).</summary>
    private readonly struct Cubic : IUnaryOp<Cubic>
    {
        public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => alpha * x * x * x + beta;
    }

    /// <summary>z = a·b − α, with a vector form.</summary>
    private readonly struct MulSub : IBinaryOp<MulSub>
    {
        public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a * b - alpha;

        public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) =>
            a * b - alpha;
    }

    [Test]
    public void UnaryOpDefinedInAnotherAssemblyRunsOnEveryBackend()
    {
        var x = KernelTestKit.Random(1003, 1, -2f, 2f);
        var expected = new float[x.Length];
        Ref.Elementwise.Unary<Cubic>(Ref.HostView.Contiguous(x, x.Length), Ref.HostView.Contiguous(expected, x.Length), 0.5f, 1f);
        foreach (var backend in new IBackend[] { CpuBackend.Instance, TestGpu })
        {
            var result = Run(backend, [x, new float[x.Length]],
                             (b, m) => b.Unary<Cubic>(StridedView.Contiguous(m[0], 0, [x.Length]), StridedView.Contiguous(m[1], 0, [x.Length]), 0.5f, 1f));
            KernelTestKit.AssertClose(expected, result[1], 1e-6, 1e-6, $"Cubic on {backend.Name}");
        }
    }

    [Test]
    public void BinaryOpDefinedInAnotherAssemblyRunsOnEveryBackend()
    {
        var a = KernelTestKit.Random(517, 2, -2f, 2f);
        var b = KernelTestKit.Random(517, 3, -2f, 2f);
        var expected = new float[a.Length];
        Ref.Elementwise.Binary<MulSub>(Ref.HostView.Contiguous(a, a.Length), Ref.HostView.Contiguous(b, b.Length),
                                       Ref.HostView.Contiguous(expected, a.Length), 0.25f);
        foreach (var backend in new IBackend[] { CpuBackend.Instance, TestGpu })
        {
            var result = Run(backend, [a, b, new float[a.Length]],
                             (bk, m) => bk.Binary<MulSub>(StridedView.Contiguous(m[0], 0, [a.Length]), StridedView.Contiguous(m[1], 0, [a.Length]),
                                                          StridedView.Contiguous(m[2], 0, [a.Length]), 0.25f));
            KernelTestKit.AssertClose(expected, result[2], 1e-6, 1e-6, $"MulSub on {backend.Name}");
        }
    }

    [Test]
    public void ErrorsNameTheOpStruct()
    {
        using var buffer = CpuBackend.Instance.Allocate(4);
        var ex = Assert.Throws<ArgumentException>(() =>
            CpuBackend.Instance.Unary<Cubic>(StridedView.Contiguous(buffer, 0, [4]), StridedView.Contiguous(buffer, 0, [2, 2])))!;
        Assert.That(ex.Message, Does.Contain("Unary(Cubic)"));
    }
}
