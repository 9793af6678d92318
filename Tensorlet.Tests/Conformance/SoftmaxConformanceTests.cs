using Tensorlet.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// (Log-)softmax and its backward on every backend against the reference: empty, single and odd sizes, a masked (−∞)
/// logit, an offset, and views that are not dense — along a middle dimension (rows not adjacent), padded rows, every other
/// element, broadcast rows — as inputs and as outputs, so each backend's in-place and dense-copy paths are both run.
/// </summary>
public class SoftmaxConformanceTests(string device) : BackendFixture(device)
{
    [Test]
    public void SoftmaxAndItsBackwardAgree([Values] bool log)
    {
        foreach (var (rows, cols) in new[] { (1, 1), (3, 7), (2, 130), (0, 5), (4, 1) })
            for (int draw = 0; draw < Draws; draw++)
            {
                var x = Random(rows * cols + 1, draw, -5f, 5f);
                if (rows * cols > 2) x[2] = float.NegativeInfinity; // a masked logit gets probability 0
                Check(Backend, $"{Name(log)} [{rows}, {cols}]", [x, new float[rows * cols]],
                      (b, m) => b.Softmax(log, StridedView.Contiguous(m[0], 1, [rows, cols]), StridedView.Contiguous(m[1], 0, [rows, cols])),
                      rtol: 1e-5, atol: 1e-6);
                Check(Backend, $"{Name(log)}Backward [{rows}, {cols}]", [YOf(log, rows * cols, draw), Random(rows * cols, draw + 7), new float[rows * cols]],
                      (b, m) => b.SoftmaxBackward(log, StridedView.Contiguous(m[0], 0, [rows, cols]), StridedView.Contiguous(m[1], 0, [rows, cols]),
                                                  StridedView.Contiguous(m[2], 0, [rows, cols])), rtol: 1e-5, atol: 1e-5);
            }
    }

    /// <summary>(what, offset, shape, strides, whether an output may have this layout).</summary>
    private static readonly (string Name, int Offset, int[] Shape, int[] Strides, bool Writable)[] Layouts =
    [
        ("dim 1 of [2, 5, 3]", 1, [2, 3, 5], [15, 1, 3], true),
        ("padded rows", 2, [4, 6], [8, 1], true),
        ("every other element", 0, [3, 4], [9, 2], true),
        ("a broadcast row", 3, [3, 5], [0, 1], false),
        ("dim 0 of [40, 3]", 0, [3, 40], [1, 3], true),
    ];

    [Test]
    public void StridedViewsAgree([Values] bool log, [Values] bool stridedOutput)
    {
        foreach (var (name, offset, shape, strides, writable) in Layouts)
        {
            int length = offset + Reach(shape, strides) + 1, count = shape.Aggregate(1, (n, size) => n * size);
            bool outputStrided = stridedOutput && writable;
            int outLength = outputStrided ? length : count;
            StridedView Out(DeviceBuffer buffer) =>
                outputStrided ? new StridedView(buffer, offset, shape, strides) : StridedView.Contiguous(buffer, 0, shape);
            string what = $"{name}{(outputStrided ? " into the same layout" : "")}";
            float[] x = Random(length, 1, -5f, 5f);
            Check(Backend, $"{Name(log)} of {what}", [x, Enumerable.Repeat(float.NaN, outLength).ToArray()],
                  (b, m) => b.Softmax(log, new StridedView(m[0], offset, shape, strides), Out(m[1])), rtol: 1e-5, atol: 1e-6);
            Check(Backend, $"{Name(log)}Backward of {what}", [YOf(log, length, 2), Random(length, 3), Enumerable.Repeat(float.NaN, outLength).ToArray()],
                  (b, m) => b.SoftmaxBackward(log, new StridedView(m[0], offset, shape, strides), new StridedView(m[1], offset, shape, strides), Out(m[2])),
                  rtol: 1e-5, atol: 1e-5);
        }
    }

    [Test]
    public void ARowOfMinusInfinityIsNaNOnEveryBackend()
    {
        Check(Backend, "Softmax of −∞ only", [[float.NegativeInfinity, float.NegativeInfinity, 0f], new float[3]],
              (b, m) => b.Softmax(false, StridedView.Contiguous(m[0], 0, [1, 2]), StridedView.Contiguous(m[1], 0, [1, 2])));
    }

    private static string Name(bool log) => log ? "LogSoftmax" : "Softmax";

    // Values a (log-)softmax could have produced: probabilities in (0, 1], log-probabilities in [−3, 0].
    private static float[] YOf(bool log, int count, int seed) => log ? Random(count, seed, -3f, 0f) : Random(count, seed, 0.01f, 1f);

    private static int Reach(int[] shape, int[] strides) => shape.Select((size, d) => (size - 1) * strides[d]).Sum();
}
