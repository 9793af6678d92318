namespace Tensorlet.Bench;

/// <summary>One case set up and ready to run repeatedly; disposing it frees its tensors.</summary>
public interface IBenchRun : IDisposable
{
    /// <summary>Computes the case once and waits until the device has finished.</summary>
    void Run();
}

/// <summary>
/// Builds each <see cref="CaseSpec"/> from Tensorlet.Core tensor ops on a <see cref="Device"/>, the way a user's code
/// would call them, so the same cases run on any device. Inputs are seeded uniform [0, 1) tensors created once (uniform
/// rather than normal: drawing them is a large part of a quick run's set-up, and no kernel's speed depends on the
/// distribution); every run happens inside a <see cref="TensorScope"/>, so its outputs and graph go back to the pool.
/// </summary>
public static class TensorletCases
{
    public static IBenchRun Create(CaseSpec spec, Device device)
    {
        var gen = new Generator(42);
        var owned = new List<Tensor>();
        var disposables = new List<IDisposable>();
        Tensor Input(int[] shape, bool grad = false)
        {
            var t = Tensor.Rand(shape, gen, device, requiresGrad: grad);
            owned.Add(t);
            return t;
        }
        Tensor Labels(int rows, int classes)
        {
            var labels = Tensor.FromArray(Enumerable.Range(0, rows).Select(i => (float)(i * 7 % classes)).ToArray(), [rows], device);
            owned.Add(labels);
            return labels;
        }

        Func<Tensor> step = spec switch
        {
            GemmSpec g => Gemm(g, Input),
            ConvSpec c => Conv(c, Input),
            ElementwiseSpec e => Elementwise(e, Input),
            ReduceSpec r => Reduce(r, Input),
            PoolSpec p => Pool(p, Input),
            BatchNormSpec b => BatchNorm(b, Input, owned, device),
            SoftmaxSpec s => Softmax(s, Input, Labels),
            ModelSpec m => BenchModels.Step(m, device, disposables),
            _ => throw new ArgumentException($"bench: no Tensorlet implementation for {spec.GetType().Name}."),
        };
        return new TensorRun(step, owned, disposables, device);
    }

    private static Func<Tensor> Gemm(GemmSpec g, Func<int[], bool, Tensor> input)
    {
        Tensor a = input([g.M, g.K], false), b = input([g.K, g.N], false);
        return () => a.MatMul(b);
    }

    // The forward+backward cases keep their leaf gradients between runs, so from the second run on each backward
    // accumulates into them in place — as PyTorch's autograd does when .grad already exists.
    private static Func<Tensor> Conv(ConvSpec c, Func<int[], bool, Tensor> input)
    {
        Tensor x = input([c.N, c.C, c.H, c.W], c.Backward), w = input([c.K, c.C / c.Groups, c.Kernel, c.Kernel], c.Backward);
        Tensor b = input([c.K], c.Backward);
        Tensor? gy = c.Backward ? input([c.N, c.K, c.OutH, c.OutW], false) : null;
        return () =>
        {
            var y = F.Conv2d(x, w, b, c.Stride, c.Padding, groups: c.Groups);
            if (gy != null) y.Backward(gy);
            return y;
        };
    }

    private static Func<Tensor> Elementwise(ElementwiseSpec e, Func<int[], bool, Tensor> input)
    {
        int plane = 1024, outer = e.Count / e.Channels / plane;
        Tensor a = input([outer, e.Channels, plane], false);
        Tensor b = e.Op == "add-bias" ? input([e.Channels, 1], false) : input([outer, e.Channels, plane], false);
        return e.Op switch
        {
            "add" or "add-bias" => () => a + b,
            "mul" => () => a * b,
            "relu" => () => a.Relu(),
            _ => throw new ArgumentException($"bench: unknown element-wise op '{e.Op}'."),
        };
    }

    private static Func<Tensor> Reduce(ReduceSpec r, Func<int[], bool, Tensor> input)
    {
        Tensor a = input([r.Rows, r.Cols], false);
        return r.Op switch
        {
            "sum-all" => () => a.Sum(),
            "sum-rows" => () => a.Sum(1),
            "sum-cols" => () => a.Sum(0),
            "max-rows" => () => a.Max(1).Values,
            _ => throw new ArgumentException($"bench: unknown reduction '{r.Op}'."),
        };
    }

    private static Func<Tensor> Pool(PoolSpec p, Func<int[], bool, Tensor> input)
    {
        Tensor x = input([p.N, p.C, p.H, p.W], p.Backward);
        Tensor? gy = p.Backward ? input([p.N, p.C, p.OutH, p.OutW], false) : null;
        Func<Tensor> forward = p.Kind switch
        {
            "max" => () => F.MaxPool2d(x, p.Kernel, p.Stride, p.Padding),
            "avg" => () => F.AvgPool2d(x, p.Kernel, p.Stride, p.Padding),
            "global-avg" => () => F.AdaptiveAvgPool2d(x, 1),
            _ => throw new ArgumentException($"bench: unknown pooling '{p.Kind}'."),
        };
        return () =>
        {
            var y = forward();
            if (gy != null) y.Backward(gy);
            return y;
        };
    }

    private static Func<Tensor> BatchNorm(BatchNormSpec b, Func<int[], bool, Tensor> input, List<Tensor> owned, Device device)
    {
        Tensor x = input([b.N, b.C, b.H, b.W], b.Backward);
        Tensor gamma = Tensor.Ones([b.C], device, requiresGrad: b.Backward), beta = Tensor.Zeros([b.C], device, requiresGrad: b.Backward);
        Tensor mean = Tensor.Zeros([b.C], device), variance = Tensor.Ones([b.C], device);
        owned.AddRange([gamma, beta, mean, variance]);
        Tensor? gy = b.Backward ? input([b.N, b.C, b.H, b.W], false) : null;
        return () =>
        {
            var y = F.BatchNorm(x, mean, variance, gamma, beta, training: b.Training);
            if (gy != null) y.Backward(gy);
            return y;
        };
    }

    private static Func<Tensor> Softmax(SoftmaxSpec s, Func<int[], bool, Tensor> input, Func<int, int, Tensor> labels)
    {
        Tensor x = input([s.Rows, s.Cols], s.Backward);
        if (s.Op == "cross-entropy")
        {
            Tensor target = labels(s.Rows, s.Cols);
            return () =>
            {
                var loss = F.CrossEntropy(x, target);
                if (s.Backward) loss.Backward();
                return loss;
            };
        }
        Tensor? gy = s.Backward ? input([s.Rows, s.Cols], false) : null;
        return () =>
        {
            var y = x.Softmax(1);
            if (gy != null) y.Backward(gy);
            return y;
        };
    }

    private sealed class TensorRun(Func<Tensor> step, List<Tensor> owned, List<IDisposable> disposables, Device device) : IBenchRun
    {
        void IBenchRun.Run()
        {
            using var scope = TensorScope.Begin();
            step();
            // CPU kernels return when done; a GPU queues its work, so wait for it before the clock stops.
            device.Synchronize();
        }

        public void Dispose()
        {
            foreach (var t in owned)
            {
                if (t.Grad is { } g)
                {
                    t.Grad = null;
                    g.Dispose();
                }
                t.Dispose();
            }
            foreach (var d in disposables) d.Dispose();
        }
    }
}
