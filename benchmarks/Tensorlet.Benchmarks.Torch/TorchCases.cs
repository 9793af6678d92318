using Tensorlet.Bench;
using TorchSharp;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>
/// Builds each <see cref="CaseSpec"/> in libtorch through TorchSharp, mirroring <see cref="TensorletCases"/> op for op:
/// seeded uniform [0, 1) inputs created once, every run inside a dispose scope so its outputs are freed before the next, and
/// leaf gradients kept between runs (both engines then accumulate into them in place).
/// </summary>
internal static class TorchCases
{
    /// <summary>Builds <paramref name="spec"/>; a whole-model case records its model's parameter count in <paramref name="parameters"/>.</summary>
    public static IBenchRun Create(CaseSpec spec, Dictionary<string, long> parameters)
    {
        torch.manual_seed(42);
        var owned = new List<TorchTensor>();
        var extra = new List<IDisposable>();
        TorchTensor Input(long[] shape, bool grad)
        {
            var t = torch.rand(shape, dtype: ScalarType.Float32, requires_grad: grad);
            owned.Add(t);
            return t;
        }
        Func<TorchTensor> step = spec switch
        {
            GemmSpec g => Gemm(g, Input),
            ConvSpec c => Conv(c, Input),
            ElementwiseSpec e => Elementwise(e, Input),
            ReduceSpec r => Reduce(r, Input),
            PoolSpec p => Pool(p, Input),
            BatchNormSpec b => BatchNorm(b, Input, owned),
            SoftmaxSpec s => Softmax(s, Input, owned),
            ModelSpec m => Model(m, parameters, extra),
            _ => throw new ArgumentException($"no libtorch implementation for {spec.GetType().Name}"),
        };
        return new TorchRun(step, owned, extra);
    }

    private static Func<TorchTensor> Gemm(GemmSpec g, Func<long[], bool, TorchTensor> input)
    {
        TorchTensor a = input([g.M, g.K], false), b = input([g.K, g.N], false);
        return () => a.matmul(b);
    }

    private static Func<TorchTensor> Conv(ConvSpec c, Func<long[], bool, TorchTensor> input)
    {
        TorchTensor x = input([c.N, c.C, c.H, c.W], c.Backward), w = input([c.K, c.C / c.Groups, c.Kernel, c.Kernel], c.Backward);
        TorchTensor b = input([c.K], c.Backward);
        TorchTensor? gy = c.Backward ? input([c.N, c.K, c.OutH, c.OutW], false) : null;
        return () =>
        {
            var y = nn.functional.conv2d(x, w, b, strides: [c.Stride, c.Stride], padding: [c.Padding, c.Padding], groups: c.Groups);
            if (gy is not null) y.backward([gy]);
            return y;
        };
    }

    private static Func<TorchTensor> Elementwise(ElementwiseSpec e, Func<long[], bool, TorchTensor> input)
    {
        long plane = 1024, outer = e.Count / e.Channels / plane;
        TorchTensor a = input([outer, e.Channels, plane], false);
        TorchTensor b = e.Op == "add-bias" ? input([e.Channels, 1], false) : input([outer, e.Channels, plane], false);
        return e.Op switch
        {
            "add" or "add-bias" => () => a + b,
            "mul" => () => a * b,
            "relu" => () => a.relu(),
            _ => throw new ArgumentException($"unknown element-wise op '{e.Op}'"),
        };
    }

    private static Func<TorchTensor> Reduce(ReduceSpec r, Func<long[], bool, TorchTensor> input)
    {
        TorchTensor a = input([r.Rows, r.Cols], false);
        return r.Op switch
        {
            "sum-all" => () => a.sum(),
            "sum-rows" => () => a.sum(1),
            "sum-cols" => () => a.sum(0),
            "max-rows" => () => a.max(1).values,
            _ => throw new ArgumentException($"unknown reduction '{r.Op}'"),
        };
    }

    private static Func<TorchTensor> Pool(PoolSpec p, Func<long[], bool, TorchTensor> input)
    {
        TorchTensor x = input([p.N, p.C, p.H, p.W], p.Backward);
        TorchTensor? gy = p.Backward ? input([p.N, p.C, p.OutH, p.OutW], false) : null;
        Func<TorchTensor> forward = p.Kind switch
        {
            "max" => () => nn.functional.max_pool2d(x, [p.Kernel, p.Kernel], [p.Stride, p.Stride], [p.Padding, p.Padding]),
            "avg" => () => nn.functional.avg_pool2d(x, [p.Kernel, p.Kernel], [p.Stride, p.Stride], [p.Padding, p.Padding]),
            "global-avg" => () => nn.functional.adaptive_avg_pool2d(x, [1, 1]),
            _ => throw new ArgumentException($"unknown pooling '{p.Kind}'"),
        };
        return () =>
        {
            var y = forward();
            if (gy is not null) y.backward([gy]);
            return y;
        };
    }

    private static Func<TorchTensor> BatchNorm(BatchNormSpec b, Func<long[], bool, TorchTensor> input, List<TorchTensor> owned)
    {
        TorchTensor x = input([b.N, b.C, b.H, b.W], b.Backward);
        TorchTensor gamma = torch.ones([b.C], requires_grad: b.Backward), beta = torch.zeros([b.C], requires_grad: b.Backward);
        TorchTensor mean = torch.zeros([b.C]), variance = torch.ones([b.C]);
        owned.AddRange([gamma, beta, mean, variance]);
        TorchTensor? gy = b.Backward ? input([b.N, b.C, b.H, b.W], false) : null;
        return () =>
        {
            var y = nn.functional.batch_norm(x, mean, variance, gamma, beta, training: b.Training, momentum: 0.1, eps: 1e-5);
            if (gy is not null) y.backward([gy]);
            return y;
        };
    }

    private static Func<TorchTensor> Softmax(SoftmaxSpec s, Func<long[], bool, TorchTensor> input, List<TorchTensor> owned)
    {
        TorchTensor x = input([s.Rows, s.Cols], s.Backward);
        if (s.Op == "cross-entropy")
        {
            var target = torch.tensor(Enumerable.Range(0, s.Rows).Select(i => (long)(i * 7 % s.Cols)).ToArray());
            owned.Add(target);
            return () =>
            {
                var loss = nn.functional.cross_entropy(x, target);
                if (s.Backward) loss.backward();
                return loss;
            };
        }
        TorchTensor? gy = s.Backward ? input([s.Rows, s.Cols], false) : null;
        return () =>
        {
            var y = x.softmax(1);
            if (gy is not null) y.backward([gy]);
            return y;
        };
    }

    private static Func<TorchTensor> Model(ModelSpec m, Dictionary<string, long> parameters, List<IDisposable> extra)
    {
        var (step, count, owned) = TorchModels.Step(m);
        parameters[m.Model] = count;
        extra.AddRange(owned);
        return step;
    }

    private sealed class TorchRun(Func<TorchTensor> step, List<TorchTensor> owned, List<IDisposable> extra) : IBenchRun
    {
        void IBenchRun.Run()
        {
            // Frees this run's outputs and graph wrappers at once, as Tensorlet's TensorScope does on its side.
            using var scope = torch.NewDisposeScope();
            step();
        }

        public void Dispose()
        {
            foreach (var t in owned) t.Dispose();
            foreach (var d in extra) d.Dispose();
        }
    }
}
