using Tensorlet.Kernels;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

public class ConvolutionKernelTests
{
    // Operands sit at this offset in buffers with a sentinel tail, so writes outside their range show.
    private const int Off = 3, Tail = 2;
    private const float Sentinel = 42f;

    public static readonly Conv2dGeometry[] Cases =
    [
        new(N: 1, C: 3, H: 7, W: 7, K: 4, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 4, H: 9, W: 8, K: 6, KH: 3, KW: 3),
        new(N: 3, C: 5, H: 11, W: 13, K: 3, KH: 3, KW: 5, StrideH: 2, StrideW: 3, PadH: 1, PadW: 2),
        new(N: 1, C: 2, H: 10, W: 9, K: 3, KH: 3, KW: 2, DilationH: 2, DilationW: 3, PadH: 2, PadW: 1),
        new(N: 3, C: 6, H: 8, W: 8, K: 4, KH: 3, KW: 3, PadH: 1, PadW: 1, Groups: 2),
        new(N: 3, C: 5, H: 7, W: 9, K: 5, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1, Groups: 5),
        new(N: 1, C: 4, H: 6, W: 6, K: 8, KH: 5, KW: 5, PadH: 2, PadW: 2, Groups: 4),
        new(N: 3, C: 8, H: 5, W: 7, K: 12, KH: 1, KW: 1),
        new(N: 1, C: 6, H: 4, W: 4, K: 4, KH: 1, KW: 1, Groups: 2),
        new(N: 3, C: 4, H: 9, W: 9, K: 5, KH: 1, KW: 1, StrideH: 2, StrideW: 2),
        new(N: 1, C: 3, H: 5, W: 5, K: 2, KH: 1, KW: 1, PadH: 1, PadW: 1),
        new(N: 3, C: 3, H: 3, W: 3, K: 2, KH: 5, KW: 5, PadH: 2, PadW: 2),
        new(N: 1, C: 2, H: 1, W: 17, K: 3, KH: 1, KW: 4, StrideW: 3, PadW: 3),
        new(N: 3, C: 2, H: 6, W: 5, K: 2, KH: 2, KW: 2, StrideH: 3, StrideW: 3, PadH: 2, PadW: 2),
        new(N: 3, C: 3, H: 9, W: 11, K: 7, KH: 3, KW: 2, DilationH: 3, DilationW: 2, PadH: 2, PadW: 1),
        // Cg·KH·KW beyond the GEMM's k block (several k slices), and beyond the fused path's stack table of taps.
        new(N: 2, C: 40, H: 5, W: 6, K: 9, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 2, C: 520, H: 3, W: 3, K: 2, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 2, C: 16, H: 12, W: 12, K: 24, KH: 3, KW: 3, PadH: 1, PadW: 1),
    ];

    private static string Name(in Conv2dGeometry g) => g.ToString();

    [TestCaseSource(nameof(Cases))]
    public void ForwardMatchesReference(Conv2dGeometry g)
    {
        foreach (bool withBias in new[] { true, false })
        {
            var (x, w, b) = Inputs(g, 1);
            var expected = Ref.Conv2d.Forward(g, x, w, withBias ? b : null);
            using var bx = Padded(x);
            using var bw = Padded(w);
            using var bb = Padded(b);
            using var by = Padded(new float[expected.Length]);
            Cpu.Conv2d(g, View(bx, Off, g.InputShape()), View(bw, Off, g.WeightShape()), withBias ? View(bb, Off, g.K) : null, View(by, Off, g.OutputShape()));
            AssertClose(expected, Unpad(by, expected.Length), 1e-5, 1e-4, $"forward {Name(g)} bias={withBias}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardInputMatchesReference(Conv2dGeometry g)
    {
        var (_, w, _) = Inputs(g, 2);
        var gy = Random(g.N * g.K * g.OutH * g.OutW, 7, -1f, 1f);
        var expected = Ref.Conv2d.BackwardInput(g, gy, w);
        using var bgy = Padded(gy);
        using var bw = Padded(w);
        using var bgx = Padded(Random(expected.Length, 8));
        Cpu.Conv2dBackwardInput(g, View(bgy, Off, g.OutputShape()), View(bw, Off, g.WeightShape()), View(bgx, Off, g.InputShape()));
        AssertClose(expected, Unpad(bgx, expected.Length), 1e-5, 1e-4, $"backward input {Name(g)}");
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardWeightMatchesReference(Conv2dGeometry g)
    {
        var (x, w, _) = Inputs(g, 3);
        var gy = Random(g.N * g.K * g.OutH * g.OutW, 9, -1f, 1f);
        var (expectedW, expectedB) = Ref.Conv2d.BackwardWeight(g, x, gy);
        foreach (bool withBias in new[] { true, false })
        {
            using var bx = Padded(x);
            using var bgy = Padded(gy);
            using var bgw = Padded(Random(w.Length, 10));
            using var bgb = Padded(Random(g.K, 11));
            Cpu.Conv2dBackwardWeight(g, View(bx, Off, g.InputShape()), View(bgy, Off, g.OutputShape()), View(bgw, Off, g.WeightShape()),
                                     withBias ? View(bgb, Off, g.K) : null);
            AssertClose(expectedW, Unpad(bgw, w.Length), 1e-5, 1e-4, $"backward weight {Name(g)}");
            if (withBias) AssertClose(expectedB, Unpad(bgb, g.K), 1e-5, 1e-4, $"backward bias {Name(g)}");
        }
    }

    [Test]
    public void EveryThreadCountMatchesReference([Values(1, 2, 3)] int threads)
    {
        int saved = Tensorlet.Threads.Count;
        try
        {
            Tensorlet.Threads.Count = threads;
            ForwardMatchesReference(Cases[2]);
            BackwardInputMatchesReference(Cases[5]);
            BackwardWeightMatchesReference(Cases[4]);
            BackwardWeightMatchesReference(Cases[^1]);
        }
        finally { Tensorlet.Threads.Count = saved; }
    }

    [Test]
    public void RepeatedCallsAreBitIdentical()
    {
        var g = new Conv2dGeometry(N: 5, C: 8, H: 10, W: 10, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1, Groups: 2);
        var (x, w, b) = Inputs(g, 4);
        var gy = Random(g.N * g.K * g.OutH * g.OutW, 12);
        float[][] Run()
        {
            using var bx = Upload(x);
            using var bw = Upload(w);
            using var bb = Upload(b);
            using var bgy = Upload(gy);
            using var by = Cpu.Allocate(gy.Length);
            using var bgx = Cpu.Allocate(x.Length);
            using var bgw = Cpu.Allocate(w.Length);
            using var bgb = Cpu.Allocate(b.Length);
            StridedView vx = View(bx, 0, g.InputShape()), vw = View(bw, 0, g.WeightShape()), vgy = View(bgy, 0, g.OutputShape());
            Cpu.Conv2d(g, vx, vw, View(bb, 0, g.K), View(by, 0, g.OutputShape()));
            Cpu.Conv2dBackwardInput(g, vgy, vw, View(bgx, 0, g.InputShape()));
            Cpu.Conv2dBackwardWeight(g, vx, vgy, View(bgw, 0, g.WeightShape()), View(bgb, 0, g.K));
            return [Download(by), Download(bgx), Download(bgw), Download(bgb)];
        }
        var first = Run();
        var second = Run();
        for (int i = 0; i < first.Length; i++) Assert.That(second[i], Is.EqualTo(first[i]), $"output {i}");
    }

    [Test]
    public void BadArgumentsNameTheFault()
    {
        var g = new Conv2dGeometry(N: 2, C: 4, H: 5, W: 5, K: 3, KH: 3, KW: 3);
        using var x = Cpu.Allocate(2 * 4 * 25);
        using var w = Cpu.Allocate(3 * 4 * 9);
        using var y = Cpu.Allocate(2 * 3 * 9);
        StridedView vx = View(x, 0, g.InputShape()), vw = View(w, 0, g.WeightShape()), vy = View(y, 0, g.OutputShape());
        var ex = Assert.Throws<ArgumentException>(() => Cpu.Conv2d(g, View(x, 1, g.InputShape()), vw, null, vy))!;
        Assert.That(ex.Message, Does.Contain("Conv2d").And.Contain("'x'").And.Contain("[2, 4, 5, 5]").And.Contain("200 elements"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.Conv2d(g with { Groups = 2 }, vx, vw, null, vy))!;
        Assert.That(ex.Message, Does.Contain("divisible by groups 2"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.Conv2dBackwardWeight(g, vx, vy, vw, View(y, 52, 3)))!;
        Assert.That(ex.Message, Does.Contain("Conv2dBackwardWeight").And.Contain("'gradBias'"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.Conv2dBackwardInput(g with { KH = 7 }, vy, vw, vx))!;
        Assert.That(ex.Message, Does.Contain("larger than the padded input"));
        // A view whose shape is not the geometry's is refused, naming the operand and both shapes.
        ex = Assert.Throws<ArgumentException>(() => Cpu.Conv2d(g, View(x, 0, 2, 5, 4, 5), vw, null, vy))!;
        Assert.That(ex.Message, Does.Contain("Conv2d: 'x' has shape [2, 5, 4, 5]").And.Contain("[2, 4, 5, 5]"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.Conv2dBackwardInput(g, vy, vw, View(x, 0, 200)))!;
        Assert.That(ex.Message, Does.Contain("Conv2dBackwardInput: 'gradX' has shape [200]").And.Contain("[2, 4, 5, 5]"));
    }

    private static (float[] X, float[] W, float[] B) Inputs(in Conv2dGeometry g, int seed) =>
        (Random(g.N * g.C * g.H * g.W, seed, -1f, 1f), Random(g.K * g.GroupC * g.KH * g.KW, seed + 100, -1f, 1f),
         Random(g.K, seed + 200, -1f, 1f));

    private static DeviceBuffer Padded(float[] data)
    {
        var host = Enumerable.Repeat(Sentinel, Off).Concat(data).Concat(Enumerable.Repeat(Sentinel, Tail)).ToArray();
        return Upload(host);
    }

    private static float[] Unpad(DeviceBuffer buffer, int length)
    {
        var host = Download(buffer);
        Assert.That(host[..Off].Concat(host[(Off + length)..]), Is.All.EqualTo(Sentinel), "wrote outside the operand");
        return host[Off..(Off + length)];
    }
}
