using Tensorlet.Kernels;
using Tensorlet.Kernels.Ops;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>Element-wise CPU kernels (Fill, Copy, Unary, Binary, Where) against the reference, over many layouts.</summary>
public class CpuBackendTests
{
    private static readonly int[] Sizes = [1, 7, 17, 33, 1000, 100003];

    /// <summary>(source layouts..., destination layout) for a 2-D problem, covering every fast path and the general one.</summary>
    internal static IEnumerable<(string Name, Layout[] Inputs, Layout Dst)> Layouts(int inputs)
    {
        Layout[] Same(Layout l) => Enumerable.Repeat(l, inputs).ToArray();
        foreach (int n in Sizes) yield return ($"dense {n}", Same(Layout.Dense(n)), Layout.Dense(n));
        yield return ("stepped 1000", Same(Layout.Stepped(1000, 3)), Layout.Stepped(1000, 2));
        yield return ("transposed 33x17", Same(Layout.Permuted([17, 33], 1, 0)), Layout.Dense(33, 17));
        yield return ("into transposed 40x9", Same(Layout.Dense(40, 9)), Layout.Permuted([9, 40], 1, 0));
        yield return ("permuted 4-d", Same(Layout.Permuted([3, 5, 7, 2], 2, 0, 3, 1)), Layout.Dense(7, 3, 2, 5));
        yield return ("large transposed 300x401 (threads)", Same(Layout.Permuted([401, 300], 1, 0)), Layout.Dense(300, 401));
        var rows = Layout.Broadcast([300, 257], true, false);
        var cols = Layout.Broadcast([300, 257], false, true);
        var scalar = Layout.Broadcast([300, 257], true, true);
        var dense = Layout.Dense(300, 257);
        var channel = Layout.Broadcast([4, 6, 9, 11], true, false, true, true);
        var nchw = Layout.Dense(4, 6, 9, 11);
        if (inputs == 1)
        {
            yield return ("row broadcast", [rows], dense);
            yield return ("scalar broadcast", [scalar], dense);
            yield break;
        }
        Layout[] Last(Layout other, Layout l) => [.. Enumerable.Repeat(other, inputs - 1), l];
        yield return ("last is scalar", Last(dense, scalar), dense);
        yield return ("last is bias rows", Last(dense, rows), dense);
        yield return ("last is column", Last(dense, cols), dense);
        yield return ("last is per-channel", Last(nchw, channel), nchw);
        yield return ("first is scalar", [scalar, .. Enumerable.Repeat(dense, inputs - 1)], dense);
        yield return ("first is bias rows", [rows, .. Enumerable.Repeat(dense, inputs - 1)], dense);
        yield return ("mixed transposed + bias", [Layout.Permuted([257, 300], 1, 0), .. Enumerable.Repeat(rows, inputs - 1)], dense);
    }

    [TestCaseSource(typeof(ElementwiseCases), nameof(ElementwiseCases.Unary))]
    public void UnaryMatchesReference(UnaryOpInfo op)
    {
        var (lo, hi) = ElementwiseCases.Domain(op);
        var (alpha, beta) = ElementwiseCases.Params(op);
        int seed = 0;
        foreach (var (name, inputs, dstLayout) in Layouts(1))
        {
            using var src = Operand(inputs[0], ++seed, lo, hi);
            using var dst = Operand(dstLayout, ++seed);
            ElementwiseCases.Reference(op, src.HostView, dst.HostView, alpha, beta);
            op.Run(Cpu, src.View, dst.View, alpha, beta);
            AssertClose(dst.Host, dst.Download(), 4e-6, 1e-7, $"{op} {name}");
        }
    }

    [Test]
    public void UnaryInPlaceMatchesReference()
    {
        InPlace<Exp>();
        InPlace<Relu>();
        InPlace<Affine>();
    }

    private static void InPlace<TOp>() where TOp : struct, IUnaryOp<TOp>
    {
        using var x = Operand(Layout.Dense(1003), 5);
        var expected = (float[])x.Host.Clone();
        Ref.Elementwise.Unary<TOp>(Ref.HostView.Contiguous(expected, 1003), Ref.HostView.Contiguous(expected, 1003), 2f, 1f);
        Cpu.Unary<TOp>(x.View, x.View, 2f, 1f);
        AssertClose(expected, x.Download(), 4e-6, 1e-7, $"in-place {typeof(TOp).Name}");
    }

    [Test]
    public void TanhIsAccurateNearZeroAndSaturatesFarAway()
    {
        var xs = new List<float> { 0f, -0f, 1e-30f, -1e-20f, 1e-7f, 1e-4f, -3e-3f, 0.1f, 0.3999f, 0.4f, 0.40001f, -0.55f, 1f, 5f, 9f, 20f, -20f, 100f, -1000f, float.PositiveInfinity, float.NegativeInfinity };
        xs.AddRange(Random(4000, 11, -1f, 1f));
        xs.AddRange(Random(4000, 12, -0.01f, 0.01f));
        var x = xs.ToArray();
        using var b = Upload(x);
        var view = StridedView.Contiguous(b, 0, [x.Length]);
        Cpu.Unary<Tanh>(view, view);
        var y = Download(b);
        for (int i = 0; i < x.Length; i++)
        {
            double e = Math.Tanh(x[i]);
            Assert.That(Math.Abs(y[i] - e), Is.LessThanOrEqualTo(3e-7 * Math.Abs(e) + 1e-45), $"tanh({x[i]:R}) = {y[i]:R}, expected {e:R}");
        }
    }

    [Test]
    public void SigmoidAndExpAreStableForHugeInputs()
    {
        float[] x = [-1000f, -100f, -88f, -20f, 0f, 20f, 88f, 100f, 1000f, -50f, 50f, 3f, -3f, 1e-8f, 40f, -40f];
        using var b = Upload(x);
        using var d = Cpu.Allocate(x.Length);
        var src = StridedView.Contiguous(b, 0, [x.Length]);
        var dst = StridedView.Contiguous(d, 0, [x.Length]);
        Cpu.Unary<Sigmoid>(src, dst);
        var expected = x.Select(v => (float)(v >= 0 ? 1 / (1 + Math.Exp(-v)) : Math.Exp(v) / (1 + Math.Exp(v)))).ToArray();
        AssertClose(expected, Download(d), 4e-6, 0, "sigmoid");
        Cpu.Unary<Exp>(src, dst);
        expected = x.Select(v => (float)Math.Exp(v)).ToArray();
        AssertClose(expected, Download(d), 4e-6, 1e-44, "exp");
    }

    [TestCaseSource(typeof(ElementwiseCases), nameof(ElementwiseCases.Binary))]
    public void BinaryMatchesReference(BinaryOpInfo op)
    {
        var (lo, hi) = ElementwiseCases.Domain(op);
        var (alpha, beta) = ElementwiseCases.Params(op);
        bool discrete = ElementwiseCases.Discrete(op);
        int seed = 100;
        foreach (var (name, inputs, dstLayout) in Layouts(2))
        {
            using var a = discrete ? new Operand(inputs[0], Integers(inputs[0].Length, ++seed, -2, 3)) : Operand(inputs[0], ++seed, lo, hi);
            using var b = discrete ? new Operand(inputs[1], Integers(inputs[1].Length, ++seed, -2, 3)) : Operand(inputs[1], ++seed, op.Type == typeof(Div) ? 0.5f : lo, hi);
            using var dst = Operand(dstLayout, ++seed);
            ElementwiseCases.Reference(op, a.HostView, b.HostView, dst.HostView, alpha, beta);
            op.Run(Cpu, a.View, b.View, dst.View, alpha, beta);
            AssertClose(dst.Host, dst.Download(), 2e-6, 1e-7, $"{op} {name}");
        }
    }

    [Test]
    public void BinaryMayWriteIntoEitherInput([Values(0, 1)] int which, [Values(7, 100003)] int n)
    {
        using var a = Operand(Layout.Dense(n), 1);
        using var b = Operand(Layout.Dense(n), 2);
        var expected = a.Host.Zip(b.Host, (x, y) => (float)(x + 0.5 * y)).ToArray();
        var dst = which == 0 ? a : b;
        Cpu.Binary<AddScaled>(a.View, b.View, dst.View, 0.5f);
        AssertClose(expected, dst.Download(), 1e-6, 1e-7, "in-place axpy");
    }

    [Test]
    public void WhereMatchesReference()
    {
        int seed = 200;
        foreach (var (name, inputs, dstLayout) in Layouts(3))
        {
            using var cond = new Operand(inputs[0], Integers(inputs[0].Length, ++seed, 0, 2));
            using var a = Operand(inputs[1], ++seed);
            using var b = Operand(inputs[2], ++seed);
            using var dst = Operand(dstLayout, ++seed);
            Ref.Elementwise.Where(cond.HostView, a.HostView, b.HostView, dst.HostView);
            Cpu.Where(cond.View, a.View, b.View, dst.View);
            AssertClose(dst.Host, dst.Download(), 0, 0, $"where {name}");
        }
    }

    [Test]
    public void CopyAndFillMatchReference()
    {
        int seed = 300;
        foreach (var (name, inputs, dstLayout) in Layouts(1))
        {
            using var src = Operand(inputs[0], ++seed);
            using var dst = Operand(dstLayout, ++seed);
            Ref.Elementwise.Copy(src.HostView, dst.HostView);
            Cpu.Copy(src.View, dst.View);
            AssertClose(dst.Host, dst.Download(), 0, 0, $"copy {name}");

            Ref.Elementwise.Fill(dst.HostView, 2.5f);
            Cpu.Fill(dst.View, 2.5f);
            AssertClose(dst.Host, dst.Download(), 0, 0, $"fill {name}");
        }
    }

    [Test]
    public void EmptyViewsAreANoOp()
    {
        using var b = Cpu.Allocate(4);
        Cpu.Upload([7f, 7f, 7f, 7f], b, 0);
        var empty = new StridedView(b, 0, [0, 3], [3, 1]);
        Assert.DoesNotThrow(() => Cpu.Fill(empty, 1f));
        Assert.DoesNotThrow(() => Cpu.Binary<Add>(empty, empty, empty));
        var after = new float[4];
        Cpu.Download(b, 0, after);
        Assert.That(after, Is.EqualTo(new[] { 7f, 7f, 7f, 7f }), "an empty view must not touch its buffer");
    }

    [Test]
    public void LargeBinaryIsDeterministicAndStreamsCorrectly()
    {
        int n = (4 << 20) + 13;
        using var a = Operand(new Layout(n + 1, 1, [n], [1]), 7);
        using var b = Operand(Layout.Dense(n), 8);
        using var dst = Operand(new Layout(n + 3, 3, [n], [1]), 9);
        Ref.Elementwise.Binary<Mul>(a.HostView, b.HostView, dst.HostView);
        Cpu.Binary<Mul>(a.View, b.View, dst.View);
        AssertClose(dst.Host, dst.Download(), 1e-6, 0, "16 MB multiply (non-temporal stores, unaligned start)");
    }

    [Test]
    public void PartsThatStartMidRowWalkCorrectly([Values(1, 3)] int threads)
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = threads;
            // 123281 elements in 3 parts: every part boundary falls inside a row and inside a plane.
            using var a = Operand(Layout.Permuted([47, 61, 43], 1, 2, 0), 1);
            using var b = Operand(Layout.Broadcast([61, 43, 47], false, true, false), 2);
            using var dst = Operand(Layout.Dense(61, 43, 47), 3);
            Ref.Elementwise.Binary<Sub>(a.HostView, b.HostView, dst.HostView);
            Cpu.Binary<Sub>(a.View, b.View, dst.View);
            AssertClose(dst.Host, dst.Download(), 1e-6, 1e-7, $"threads {threads}");
        }
        finally { Threads.Count = saved; }
    }

    [Test]
    public void LargeBroadcastStreamsShortRowsCorrectly([Values(1, 2, 3)] int threads)
    {
        int saved = Threads.Count;
        try
        {
            Threads.Count = threads;
            // 4.2M elements in rows of 1021 (odd, so every row starts at a different alignment), a [C, 1]-style bias
            // broadcast along them: thousands of streamed rows per thread, fenced once per thread.
            const int outer = 64, channels = 65, plane = 1021;
            using var a = Operand(new Layout(outer * channels * plane + 1, 1, [outer, channels, plane], [channels * plane, plane, 1]), 11);
            using var b = Operand(Layout.Broadcast([outer, channels, plane], true, false, true), 12);
            using var dst = Operand(new Layout(outer * channels * plane + 3, 3, [outer, channels, plane], [channels * plane, plane, 1]), 13);
            Ref.Elementwise.Binary<Add>(a.HostView, b.HostView, dst.HostView);
            Cpu.Binary<Add>(a.View, b.View, dst.View);
            AssertClose(dst.Host, dst.Download(), 1e-6, 0, $"bias add, {threads} threads");
            Ref.Elementwise.Unary<Neg>(dst.HostView, dst.HostView);
            Cpu.Unary<Neg>(dst.View, dst.View);
            AssertClose(dst.Host, dst.Download(), 0, 0, $"in-place negation, {threads} threads");
        }
        finally { Threads.Count = saved; }
    }
}
