using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Diagnostics;

// The checks themselves, one method per kernel family, on shapes small enough for ILGPU's CPU accelerator.
public sealed partial class SelfTest
{
    private void Elementwise()
    {
        const int rows = 33, cols = 17;
        Check("Fill", [new float[rows * cols]], [0], (b, m) => b.Fill(Dense(m[0], rows, cols), 1.5f));
        Check("Copy transposed", [Random(rows * cols), new float[rows * cols]], [1],
              (b, m) => b.Copy(new StridedView(m[0], 0, [cols, rows], [1, cols]), Dense(m[1], cols, rows)));
        foreach (var op in ElementwiseOps.Unary)
        {
            bool positive = op.Type == typeof(Log) || op.Type == typeof(Sqrt) || op.Type == typeof(PowScalar) || op.Type == typeof(Reciprocal);
            float alpha = op.Type == typeof(Clamp) ? -0.5f : op.Type == typeof(PowScalar) ? 1.5f : 0.3f, beta = 0.5f;
            Check($"Unary {op.Name}", [Random(rows * cols, positive ? 0.1f : -2f, 2f), new float[rows * cols]], [1],
                  (b, m) => op.Run(b, Dense(m[0], rows, cols), Dense(m[1], rows, cols), alpha, beta));
        }
        foreach (var op in ElementwiseOps.Binary)
        {
            float lo = op.Type == typeof(Pow) ? 0.1f : -2f;
            // b broadcast along rows (stride 0), the bias-add layout.
            Check($"Binary {op.Name} (broadcast)", [Random(rows * cols, lo), Random(cols, lo), new float[rows * cols]], [2],
                  (b, m) => op.Run(b, Dense(m[0], rows, cols), new StridedView(m[1], 0, [rows, cols], [0, 1]), Dense(m[2], rows, cols), -0.5f, 0.5f));
        }
        Check("Where", [Integers(rows * cols, 0, 2), Random(rows * cols), Random(rows * cols), new float[rows * cols]], [3],
              (b, m) => b.Where(Dense(m[0], rows, cols), Dense(m[1], rows, cols), Dense(m[2], rows, cols), Dense(m[3], rows, cols)));
    }

    private void Reductions()
    {
        foreach (var op in Enum.GetValues<ReduceOp>())
            foreach (var (outer, axis, inner) in new[] { (4, 37, 5), (1, 3000, 2) })
                Check($"Reduce {op} [{outer}, {axis}, {inner}]", [Random(outer * axis * inner), new float[outer * inner]], [1],
                      (b, m) => b.Reduce(op, StridedView.Contiguous(m[0], 0, [outer, axis, inner]), 1,
                                         StridedView.Contiguous(m[1], 0, [outer, 1, inner]), op == ReduceOp.Sum ? 0.5f : 1f));
        // A transposed source: dim 0 of the [37, 4] view of a dense [4, 37] array, reduced where it lies.
        Check("Reduce Sum transposed", [Random(4 * 37), new float[4]], [1],
              (b, m) => b.Reduce(ReduceOp.Sum, new StridedView(m[0], 0, [37, 4], [1, 37]), 0, Dense(m[1], 1, 4)));
        Check("Gather", [Random(8 * 10), Integers(8 * 3, 0, 10), new float[8 * 3]], [2],
              (b, m) => b.Gather(Dense(m[0], 8, 10), Dense(m[1], 8, 3), 1, Dense(m[2], 8, 3)));
        Check("ScatterAdd", [Random(8 * 3), Integers(8 * 3, 0, 10), Random(8 * 10)], [2],
              (b, m) => b.ScatterAdd(Dense(m[0], 8, 3), Dense(m[1], 8, 3), 1, Dense(m[2], 8, 10)));
        foreach (bool log in new[] { false, true })
        {
            string name = log ? "LogSoftmax" : "Softmax";
            Check(name, [Random(16 * 10, -8f, 8f), new float[16 * 10]], [1], (b, m) => b.Softmax(log, Dense(m[0], 16, 10), Dense(m[1], 16, 10)));
            // Along the columns of a [10, 16] array: strided rows, which a backend reads in place or through a copy.
            Check(name + " strided", [Random(16 * 10, -8f, 8f), new float[16 * 10]], [1],
                  (b, m) => b.Softmax(log, new StridedView(m[0], 0, [16, 10], [1, 16]), Dense(m[1], 16, 10)));
            Check(name + " backward", [Random(16 * 10, -3f, 0f), Random(16 * 10), new float[16 * 10]], [2],
                  (b, m) => b.SoftmaxBackward(log, Dense(m[0], 16, 10), Dense(m[1], 16, 10), Dense(m[2], 16, 10)));
        }
        // The backward's logits in [−4, 4] and its log Σ e^(x − max) in [2, 3] (at least log 10 for 10 classes would be
        // real), so every probability it recomputes is at most 1.
        Check("CrossEntropy", [Random(16 * 10, -8f, 8f), Integers(16, 0, 10), new float[16], new float[16]], [2, 3],
              (b, m) => b.CrossEntropy(0.1f, Dense(m[0], 16, 10), Dense(m[1], 16), Dense(m[2], 16), Dense(m[3], 16)));
        Check("CrossEntropyBackward", [Random(16 * 10, -4f, 4f), Integers(16, 0, 10), Random(16, 2f, 3f), Random(16), Random(16 * 10)], [4],
              (b, m) => b.CrossEntropyBackward(0.1f, Dense(m[0], 16, 10), Dense(m[1], 16), Dense(m[2], 16), Dense(m[3], 16), 1f, Dense(m[4], 16, 10)));
    }

    private void LinearAlgebra()
    {
        const int m = 37, n = 29, k = 41, batch = 2;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                Check($"Gemm {(ta ? 'T' : 'N')}{(tb ? 'T' : 'N')} {m}x{n}x{k} batch {batch}",
                      [Random(batch * m * k), Random(batch * k * n), Random(batch * m * n)], [2],
                      (b, x) => b.Gemm(0.7f, Matrices(x[0], batch, m, k, ta), Matrices(x[1], batch, k, n, tb), 0.3f,
                                       Matrices(x[2], batch, m, n, false)));
    }

    /// <summary>A dense [batch, rows, cols] array, or a transposed one (each matrix stored cols × rows).</summary>
    private static StridedView Matrices(DeviceBuffer buffer, int batch, int rows, int cols, bool transposed) =>
        new(buffer, 0, [batch, rows, cols], transposed ? [rows * cols, 1, rows] : [rows * cols, cols, 1]);

    private void Convolutions()
    {
        var cases = new (string Name, Conv2dGeometry G)[]
        {
            ("3x3 pad 1", new(2, 4, 9, 9, 6, 3, 3, 1, 1, 1, 1)),
            ("3x3 stride 2", new(2, 4, 9, 8, 6, 3, 3, 2, 2, 1, 1)),
            ("1x1", new(2, 8, 5, 5, 4, 1, 1)),
            ("grouped g=2 dilation 2", new(1, 4, 8, 8, 6, 3, 3, 1, 1, 2, 2, 2, 2, 2)),
            ("depthwise", new(2, 4, 6, 6, 4, 3, 3, 1, 1, 1, 1, Groups: 4)),
        };
        foreach (var (name, g) in cases)
        {
            int x = g.N * g.C * g.H * g.W, w = g.K * g.GroupC * g.KH * g.KW, y = g.N * g.K * g.OutH * g.OutW;
            Check($"Conv2d {name}", [Random(x), Random(w), Random(g.K), new float[y]], [3],
                  (b, m) => b.Conv2d(g, Dense(m[0], g.InputShape()), Dense(m[1], g.WeightShape()), Dense(m[2], g.K), Dense(m[3], g.OutputShape())));
            Check($"Conv2d backward input {name}", [Random(y), Random(w), new float[x]], [2],
                  (b, m) => b.Conv2dBackwardInput(g, Dense(m[0], g.OutputShape()), Dense(m[1], g.WeightShape()), Dense(m[2], g.InputShape())));
            Check($"Conv2d backward weight {name}", [Random(x), Random(y), new float[w], new float[g.K]], [2, 3],
                  (b, m) => b.Conv2dBackwardWeight(g, Dense(m[0], g.InputShape()), Dense(m[1], g.OutputShape()), Dense(m[2], g.WeightShape()), Dense(m[3], g.K)));
            int cols = g.N * g.C * g.KH * g.KW * g.OutH * g.OutW;
            Check($"Unfold {name}", [Random(x), new float[cols]], [1], (b, m) => b.Unfold(g, Dense(m[0], g.InputShape()), Dense(m[1], g.ColumnsShape())), tolerance: 0);
            Check($"Fold {name}", [Random(cols), new float[x]], [1], (b, m) => b.Fold(g, Dense(m[0], g.ColumnsShape()), Dense(m[1], g.InputShape())));
        }
    }

    private void Pooling()
    {
        var max = new Pool2dGeometry(2, 3, 9, 9, 3, 3, 2, 2, 1, 1, CeilMode: true);
        var avg = new Pool2dGeometry(2, 3, 8, 8, 2, 2, 2, 2);
        int xin = 2 * 3 * 81, xmax = 2 * 3 * max.OutH * max.OutW, xa = 2 * 3 * 64, ya = 2 * 3 * avg.OutH * avg.OutW;
        static StridedView In(DeviceBuffer b, in Pool2dGeometry g) => Dense(b, g.InputShape());
        static StridedView Out(DeviceBuffer b, in Pool2dGeometry g) => Dense(b, g.OutputShape());
        void Max(IBackend b, DeviceBuffer[] m) => b.MaxPool2d(max, In(m[0], max), Out(m[1], max), Out(m[2], max));
        Check("MaxPool2d 3x3 s2 p1 ceil", [Random(xin), new float[xmax], new float[xmax]], [1, 2], Max, tolerance: 0);
        var indices = Execute(reference, [Random(xin), new float[xmax], new float[xmax]], Max)[2];
        Check("MaxPool2d backward", [Random(xmax), indices, new float[xin]], [2],
              (b, m) => b.MaxPool2dBackward(max, Out(m[0], max), Out(m[1], max), In(m[2], max)));
        Check("AvgPool2d 2x2", [Random(xa), new float[ya]], [1], (b, m) => b.AvgPool2d(avg, In(m[0], avg), Out(m[1], avg)));
        Check("AvgPool2d backward", [Random(ya), new float[xa]], [1], (b, m) => b.AvgPool2dBackward(avg, Out(m[0], avg), In(m[1], avg)));
        Check("AdaptiveAvgPool2d 7x7→3x3", [Random(2 * 3 * 49), new float[2 * 3 * 9]], [1],
              (b, m) => b.AdaptiveAvgPool2d(Dense(m[0], 2, 3, 7, 7), Dense(m[1], 2, 3, 3, 3)));
        Check("AdaptiveAvgPool2d backward", [Random(2 * 3 * 9), new float[2 * 3 * 49]], [1],
              (b, m) => b.AdaptiveAvgPool2dBackward(Dense(m[0], 2, 3, 3, 3), Dense(m[1], 2, 3, 7, 7)));
    }

    private void Normalization()
    {
        const int n = 4, c = 3, hw = 25, count = n * c * hw;
        foreach (bool train in new[] { true, false })
        {
            string mode = train ? "train" : "eval";
            Check($"BatchNorm forward ({mode})",
                  [Random(count), Random(c), Random(c), Random(c), Random(c, 0.5f, 2f), new float[count], new float[c], new float[c]], [3, 4, 5, 6, 7],
                  (b, m) => b.BatchNormForward(new(Dense(m[0], n, c, hw), Dense(m[1], c), Dense(m[2], c), Dense(m[3], c), Dense(m[4], c), Dense(m[6], c),
                                                   Dense(m[7], c), train, 0.1f, 1e-5f), Dense(m[5], n, c, hw)));
            Check($"BatchNorm backward ({mode})",
                  [Random(count), Random(count), Random(c), Random(c, -0.3f, 0.3f), Random(c, 0.5f, 2f), new float[count], new float[c], new float[c]], [5, 6, 7],
                  (b, m) => b.BatchNormBackward(new(Dense(m[0], n, c, hw), Dense(m[2], c), null, null, null, Dense(m[3], c), Dense(m[4], c), train, 0.1f, 1e-5f),
                                                Dense(m[1], n, c, hw), new(Dense(m[5], n, c, hw), Dense(m[6], c), Dense(m[7], c))));
        }
        Check("DropoutMask p=0.3", [new float[1000]], [0], (b, m) => b.DropoutMask(StridedView.Contiguous(m[0], 0, [1000]), 0.3f, 1234, 77), tolerance: 0);
    }
}
