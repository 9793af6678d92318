using Tensorlet.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// The fused cross-entropy and its backward on every backend against the reference: empty, single and odd sizes, label
/// smoothing 0, 0.1 and 1, β = 0 over NaN garbage (which must not leak), β = 1 and 0.5 accumulating, NaN and ±∞ logits,
/// and views that are not dense (transposed, padded, every other element, broadcast rows, strided per-row vectors) as
/// inputs and outputs. Outputs start as NaN, so an element a backend forgets to write shows.
/// </summary>
public class CrossEntropyConformanceTests(string device) : BackendFixture(device)
{
    private static readonly (int Rows, int Cols)[] Sizes = [(1, 1), (5, 1), (3, 7), (4, 33), (2, 130), (0, 5), (0, 0)];

    [Test]
    public void ForwardAndBackwardAgree([Values(0f, 0.1f, 1f)] float smoothing, [Values(0f, 1f, 0.5f)] float beta)
    {
        foreach (var (rows, cols) in Sizes)
            for (int draw = 0; draw < Draws; draw++)
            {
                var x = Random(rows * cols + 1, draw, -5f, 5f);
                if (rows * cols > 4) x[3] = float.NegativeInfinity; // a masked logit: probability 0
                var t = Integers(rows + 1, draw + 1, 0, Math.Max(cols, 1));
                if (beta == 0f)
                    Check(Backend, $"CrossEntropy ε={smoothing} [{rows}, {cols}]", [x, t, Garbage(rows), Garbage(rows)],
                          (b, m) => b.CrossEntropy(smoothing, StridedView.Contiguous(m[0], 1, [rows, cols]), StridedView.Contiguous(m[1], 0, [rows]),
                                                   StridedView.Contiguous(m[2], 0, [rows]), StridedView.Contiguous(m[3], 0, [rows])),
                          rtol: 1e-5, atol: 1e-5);
                var dst = beta == 0f ? Garbage(rows * cols) : Random(rows * cols, draw + 5);
                Check(Backend, $"CrossEntropyBackward ε={smoothing} β={beta} [{rows}, {cols}]",
                      [x, t, LogSum(x, 1, rows, cols), Random(rows, draw + 3, -2f, 2f), dst],
                      (b, m) => b.CrossEntropyBackward(smoothing, StridedView.Contiguous(m[0], 1, [rows, cols]), StridedView.Contiguous(m[1], 0, [rows]),
                                                       StridedView.Contiguous(m[2], 0, [rows]), StridedView.Contiguous(m[3], 0, [rows]), beta,
                                                       StridedView.Contiguous(m[4], 0, [rows, cols])),
                      rtol: 1e-5, atol: 1e-5);
            }
    }

    /// <summary>(what, offset, shape [rows, C], strides, whether an output may have this layout).</summary>
    private static readonly (string Name, int Offset, int[] Shape, int[] Strides, bool Writable)[] Layouts =
    [
        ("transposed [7, 4]", 0, [4, 7], [1, 4], true),
        ("padded rows", 2, [4, 6], [9, 1], true),
        ("every other element", 1, [3, 20], [41, 2], true),
        ("a broadcast row", 3, [3, 5], [0, 1], false),
    ];

    [Test]
    public void StridedViewsAgree([Values] bool stridedOutput, [Values(0f, 1f)] float beta)
    {
        foreach (var (name, offset, shape, strides, writable) in Layouts)
        {
            int rows = shape[0], cols = shape[1], length = offset + Reach(shape, strides) + 1;
            bool outputStrided = stridedOutput && writable;
            int outLength = outputStrided ? length : rows * cols;
            StridedView Logits(DeviceBuffer buffer) => new(buffer, offset, shape, strides);
            StridedView Out(DeviceBuffer buffer) =>
                outputStrided ? new StridedView(buffer, offset, shape, strides) : StridedView.Contiguous(buffer, 0, shape);
            // Per-row vectors every other element from element 1: [rows] with stride 2.
            StridedView Rows(DeviceBuffer buffer) => new(buffer, 1, [rows], [2]);
            string what = $"{name}{(outputStrided ? " into the same layout" : "")}";
            var x = Random(length, 1, -5f, 5f);
            var t = Spread(Integers(rows, 2, 0, cols), 0f);
            Check(Backend, $"CrossEntropy of {what}", [x, t, Garbage(2 * rows + 1), Garbage(2 * rows + 1)],
                  (b, m) => b.CrossEntropy(0.1f, Logits(m[0]), Rows(m[1]), Rows(m[2]), Rows(m[3])), rtol: 1e-5, atol: 1e-5);
            var lse = Spread(LogSum(Dense(x, offset, shape, strides), 0, rows, cols), 0f);
            var dst = beta == 0f ? Garbage(outLength) : Random(outLength, 4);
            Check(Backend, $"CrossEntropyBackward β={beta} of {what}", [x, t, lse, Spread(Random(rows, 3), 0.5f), dst],
                  (b, m) => b.CrossEntropyBackward(0.1f, Logits(m[0]), Rows(m[1]), Rows(m[2]), Rows(m[3]), beta, Out(m[4])),
                  rtol: 1e-5, atol: 1e-5);
        }
    }

    [Test]
    public void NaNAndInfinitiesFollowLogSoftmaxsRules([Values(0f, 0.1f)] float smoothing, [Values(3, 40)] int cols)
    {
        // Rows: all −∞; +∞ among finite; a NaN; −∞ at the target; −∞ elsewhere. 40 columns reach the vector loops.
        var x = Random(5 * cols, 6, -3f, 3f);
        for (int c = 0; c < cols; c++) x[c] = float.NegativeInfinity;
        x[cols + cols / 2] = float.PositiveInfinity;
        x[2 * cols + cols - 2] = float.NaN;
        x[3 * cols] = float.NegativeInfinity;
        x[4 * cols + 1] = float.NegativeInfinity;
        float[] t = [0, 1, 2, 0, 0];
        Check(Backend, $"CrossEntropy of NaN and ±∞, ε={smoothing}, C={cols}", [x, t, Garbage(5), Garbage(5)],
              (b, m) => b.CrossEntropy(smoothing, StridedView.Contiguous(m[0], 0, [5, cols]), StridedView.Contiguous(m[1], 0, [5]),
                                       StridedView.Contiguous(m[2], 0, [5]), StridedView.Contiguous(m[3], 0, [5])), rtol: 1e-5, atol: 1e-5);
        Check(Backend, $"CrossEntropyBackward of NaN and ±∞, ε={smoothing}, C={cols}",
              [x, t, LogSum(x, 0, 5, cols), [1f, 1f, 1f, 1f, 1f], Garbage(5 * cols)],
              (b, m) => b.CrossEntropyBackward(smoothing, StridedView.Contiguous(m[0], 0, [5, cols]), StridedView.Contiguous(m[1], 0, [5]),
                                               StridedView.Contiguous(m[2], 0, [5]), StridedView.Contiguous(m[3], 0, [5]), 0f,
                                               StridedView.Contiguous(m[4], 0, [5, cols])), rtol: 1e-5, atol: 1e-5);
    }

    [Test]
    public void TheDeviceReportsABadTargetAtSynchronisationAndSaysSo([Values] bool backward)
    {
        var buffers = new[] { Upload(Backend, [1f, 2f, 3f, 4f, 5f, 6f]), Upload(Backend, [0f, 3f]), Backend.Allocate(2), Backend.Allocate(2), Backend.Allocate(6) };
        try
        {
            var (x, t, a, b, dst) = (StridedView.Contiguous(buffers[0], 0, [2, 3]), StridedView.Contiguous(buffers[1], 0, [2]),
                                     StridedView.Contiguous(buffers[2], 0, [2]), StridedView.Contiguous(buffers[3], 0, [2]),
                                     StridedView.Contiguous(buffers[4], 0, [2, 3]));
            var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            {
                if (backward) Backend.CrossEntropyBackward(0f, x, t, a, b, 0f, dst);
                else Backend.CrossEntropy(0f, x, t, a, b);
                Backend.Synchronize();
            })!;
            string op = backward ? "CrossEntropyBackward" : "CrossEntropy";
            Assert.That(e.Message, Does.StartWith($"{op}: target 3 at row 1 is out of range for 3 classes (class indices must be integers in [0, 3))."));
            Assert.That(e.ParamName, Is.EqualTo("target"));
            Assert.That(e.Message.Contains("next synchronisation"), Is.EqualTo(Backend.IsGpu));
        }
        finally
        {
            foreach (var buffer in buffers) buffer.Dispose();
        }
    }

    private static float[] Garbage(int count) => Enumerable.Repeat(float.NaN, count).ToArray();

    // log Σ e^(x − max) of each row of a dense [rows, cols] array at offset, in double: what a forward would have written.
    private static float[] LogSum(float[] x, int offset, int rows, int cols)
    {
        var logSum = new float[rows + 1];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x[offset + r * cols + c]);
            if (double.IsNegativeInfinity(max)) max = 0;
            for (int c = 0; c < cols; c++) sum += Math.Exp(x[offset + r * cols + c] - max);
            logSum[r] = (float)Math.Log(sum);
        }
        return logSum;
    }

    // Values at every other element from element 1 (the per-row layout of StridedViewsAgree), the gaps filled.
    private static float[] Spread(float[] values, float fill)
    {
        var spread = Enumerable.Repeat(fill, 2 * values.Length + 1).ToArray();
        for (int i = 0; i < values.Length; i++) spread[1 + 2 * i] = values[i];
        return spread;
    }

    // A view's elements row-major as a dense array.
    private static float[] Dense(float[] data, int offset, int[] shape, int[] strides)
    {
        var dense = new float[shape[0] * shape[1]];
        for (int r = 0; r < shape[0]; r++)
            for (int c = 0; c < shape[1]; c++) dense[r * shape[1] + c] = data[offset + r * strides[0] + c * strides[1]];
        return dense;
    }

    private static int Reach(int[] shape, int[] strides) => shape.Select((size, d) => (size - 1) * strides[d]).Sum();
}
