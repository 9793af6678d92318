using Tensorlet.Kernels.Ops;
using Tensorlet.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// Every backend refuses the same bad calls with the same exception and the same message as the reference, because all
/// of them call the one check in <see cref="OperationChecks"/>. A fault found on the device (a bad index on the GPU) is
/// reported at the next synchronisation with the same message plus a note saying so.
/// </summary>
public class ArgumentConformanceTests(string device) : BackendFixture(device)
{
    /// <summary>(the operation the message must start with, the bad call on a given backend).</summary>
    private static IEnumerable<(string Op, Action<IBackend> Call)> Faults()
    {
        yield return ("Fill", b =>
        {
            var gone = New(b, 6);
            gone.Dispose();
            b.Fill(StridedView.Contiguous(gone, 0, [6]), 1f);
        });
        yield return ("Unary(Exp)", b => b.Unary<Exp>(new StridedView(New(b, 10), 2, [3, 4], [1, 3]), StridedView.Contiguous(New(b, 12), 0, [3, 4])));
        yield return ("Binary(Add)", b => b.Binary<Add>(StridedView.Contiguous(New(b, 6), 0, [2, 3]),
                                                  StridedView.Contiguous(New(b, 6), 0, [3, 2]), StridedView.Contiguous(New(b, 6), 0, [2, 3])));
        yield return ("Reduce(Sum)", b => b.Reduce(ReduceOp.Sum, View(New(b, 6), 0, 3, 2), 2, View(New(b, 6), 0, 3, 1)));
        yield return ("Reduce(Max)", b => b.Reduce(ReduceOp.Max, View(New(b, 6), 0, 2, 0, 3), 1, View(New(b, 6), 0, 2, 1, 3)));
        yield return ("Reduce(ArgMin)", b => b.Reduce(ReduceOp.ArgMin, View(New(b, 6), 0, 2, 3), 1, View(New(b, 1), 0, 1, 1)));
        yield return ("Reduce(Sum)", b => b.Reduce(ReduceOp.Sum, View(New(b, 6), 0, 2, 3), 1, View(New(b, 2), 0, 1, 2)));
        yield return ("Gemm", b => b.Gemm(1f, Dense(b, 6, 3, 2), Dense(b, 6, 3, 2), 0f, Dense(b, 12, 3, 4)));              // k: 2 vs 3
        yield return ("Gemm", b => b.Gemm(1f, Dense(b, 6, 3, 2), Dense(b, 8, 2, 4), 0f, Dense(b, 11, 3, 4)));              // c past its buffer
        yield return ("Gemm", b => b.Gemm(1f, Dense(b, 12, 2, 3, 2), Dense(b, 8, 2, 4), 0f, Dense(b, 8, 3, 4)));          // batch 2 vs 1
        yield return ("Gemm", b => b.Gemm(1f, Dense(b, 8, 2, 2, 2), Dense(b, 4, 2, 2), 0f,
                                          new StridedView(New(b, 4), 0, [2, 2, 2], [0, 2, 1])));                          // c repeats
        yield return ("Gemm", b => b.Gemm(1f, Dense(b, 4, 4), Dense(b, 4, 4), 0f, Dense(b, 4, 4)));                       // 1-D operand
        yield return ("LogSoftmax", b => b.Softmax(true, Dense(b, 6, 3, 5), Dense(b, 15, 3, 5)));                          // src past its buffer
        yield return ("Softmax", b => b.Softmax(false, Dense(b, 6, 2, 3), Dense(b, 6, 3, 2)));                             // shapes differ
        yield return ("SoftmaxBackward", b => b.SoftmaxBackward(false, Dense(b, 1), Dense(b, 1), Dense(b, 1)));            // a scalar
        yield return ("LogSoftmaxBackward", b => b.SoftmaxBackward(true, Dense(b, 6, 2, 3), Dense(b, 6, 2, 3),
                                                                   new StridedView(New(b, 3), 0, [2, 3], [0, 1])));      // dst repeats
        yield return ("Gather", b => Gather(b, 3f));
        yield return ("Gather", b => Gather(b, 0.5f));
        yield return ("Gather", b => Gather(b, float.NaN));
        yield return ("Gather", b => b.Gather(View(New(b, 6), 0, 2, 3), View(New(b, 3), 0, 3, 1), 1, View(New(b, 3), 0, 3, 1)));
        yield return ("Gather", b => b.Gather(View(New(b, 6), 0, 2, 3), View(New(b, 2), 0, 2, 1), 1, View(New(b, 2), 0, 1, 2)));
        yield return ("ScatterAdd", b => b.ScatterAdd(View(Of(b, [1, 2]), 0, 1, 2), View(Of(b, [0, -1]), 0, 1, 2), 1, View(New(b, 3), 0, 1, 3)));
        yield return ("ScatterAdd", b => b.ScatterAdd(View(Of(b, [1, 2]), 0, 2, 1), View(Of(b, [0, 0]), 0, 2, 1), 0,
                                                      new StridedView(New(b, 3), 0, [3, 1], [0, 1])));
        yield return ("ScatterAdd", b => b.ScatterAdd(View(Of(b, [1, 2]), 0, 1, 2), View(Of(b, [0, 0]), 0, 2, 1), 1, View(New(b, 3), 0, 1, 3)));
        yield return ("CrossEntropy", b => CrossEntropy(b, 3f));
        yield return ("CrossEntropy", b => CrossEntropy(b, 0.5f));
        yield return ("CrossEntropy", b => CrossEntropy(b, float.NaN));
        yield return ("CrossEntropy", b => CrossEntropy(b, -1f));
        yield return ("CrossEntropyBackward", b => b.CrossEntropyBackward(0.1f, View(Of(b, [1, 2, 3, 4, 5, 6]), 0, 2, 3), View(Of(b, [2, 7]), 0, 2),
                                                                        View(Of(b, [3, 3]), 0, 2), View(Of(b, [1, 1]), 0, 2), 0f, D(b, 2, 3)));
        yield return ("CrossEntropy", b => b.CrossEntropy(0f, D(b, 2, 3), D(b, 3), D(b, 2), D(b, 2)));                       // target [3], 2 rows
        yield return ("CrossEntropy", b => b.CrossEntropy(0f, D(b, 6), D(b, 6), D(b, 6), D(b, 6)));                          // rank-1 logits
        yield return ("CrossEntropy", b => b.CrossEntropy(1.5f, D(b, 2, 3), D(b, 2), D(b, 2), D(b, 2)));                     // smoothing
        yield return ("CrossEntropy", b => b.CrossEntropy(0f, Dense(b, 5, 2, 3), D(b, 2), D(b, 2), D(b, 2)));                // logits past its buffer
        yield return ("CrossEntropy", b => b.CrossEntropy(0f, D(b, 2, 3), D(b, 2), new StridedView(New(b, 1), 0, [2], [0]),
                                                          D(b, 2)));                                                          // loss repeats
        yield return ("CrossEntropyBackward", b => b.CrossEntropyBackward(0f, D(b, 2, 3), D(b, 2), D(b, 2), D(b, 2), 0f, D(b, 3, 2))); // dst shape
        yield return ("CrossEntropyBackward", b => b.CrossEntropyBackward(0f, D(b, 2, 3), D(b, 2), D(b, 2), D(b, 3), 0f, D(b, 2, 3))); // grad [3]
        yield return ("CrossEntropyBackward", b => b.CrossEntropyBackward(0f, D(b, 2, 3), D(b, 2), D(b, 2), D(b, 2), float.NaN,
                                                                          D(b, 2, 3)));                                       // β NaN
        yield return ("CrossEntropyBackward", b => b.CrossEntropyBackward(0f, D(b, 2, 3), D(b, 2), D(b, 2), D(b, 2), 1f,
                                                                          new StridedView(New(b, 3), 0, [2, 3], [0, 1]))); // dst repeats
        yield return ("Conv2d", b => b.Conv2d(new Conv2dGeometry(1, 1, 2, 2, 1, 5, 5), D(b, 1, 1, 2, 2), D(b, 1, 1, 5, 5), null, D(b, 1, 1, 1, 1)));
        yield return ("Conv2d", b => b.Conv2d(new Conv2dGeometry(1, 3, 4, 4, 2, 1, 1, Groups: 2), D(b, 1, 3, 4, 4), D(b, 2, 1, 1, 1), null,
                                              D(b, 1, 2, 4, 4)));
        yield return ("Conv2d", b => b.Conv2d(new Conv2dGeometry(1, 1, 4, 4, 2, 3, 3), D(b, 1, 2, 4, 4), D(b, 2, 1, 3, 3), null, D(b, 1, 2, 2, 2)));
        yield return ("Conv2dBackwardInput", b => b.Conv2dBackwardInput(new Conv2dGeometry(2, 1, 4, 4, 2, 3, 3), D(b, 2, 2, 2, 2),
                                                                          D(b, 2, 1, 3, 3), new StridedView(New(b, 32), 1, [2, 1, 4, 4], [16, 16, 4, 1])));
        yield return ("Conv2dBackwardWeight", b => b.Conv2dBackwardWeight(new Conv2dGeometry(1, 1, 3, 3, 2, 3, 3), D(b, 1, 1, 3, 3), D(b, 1, 2, 1, 1),
                                                                            D(b, 2, 1, 3, 3), new StridedView(New(b, 1), 0, [2], [1])));
        yield return ("Unfold", b => b.Unfold(new Conv2dGeometry(1, 2, 3, 3, 1, 2, 2), D(b, 1, 2, 3, 3), D(b, 1, 8, 3)));
        yield return ("Pool2d", b => b.MaxPool2d(new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2, PadH: 2), D(b, 1, 1, 4, 4), D(b, 1, 1, 3, 3), D(b, 1, 1, 3, 3)));
        yield return ("MaxPool2d", b => b.MaxPool2d(new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2), D(b, 1, 1, 4, 4), D(b, 1, 1, 2, 2), D(b, 1, 2, 2)));
        yield return ("AvgPool2d", b => b.AvgPool2d(new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2), StridedView.Contiguous(New(b, 15), 0, [1, 1, 4, 4]),
                                                    D(b, 1, 1, 2, 2)));
        yield return ("MaxPool2dBackward", b => b.MaxPool2dBackward(new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2), View(Of(b, [1, 1, 1, 1]), 0, 1, 1, 2, 2),
                                                                    View(Of(b, [0, 2, 8, 13]), 0, 1, 1, 2, 2), D(b, 1, 1, 4, 4)));
        yield return ("MaxPool2dBackward", b => b.MaxPool2dBackward(new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2), View(Of(b, [1, 1, 1, 1]), 0, 1, 1, 2, 2),
                                                                    View(Of(b, [0, 2, 8, 14.5f]), 0, 1, 1, 2, 2), D(b, 1, 1, 4, 4)));
        yield return ("AdaptiveAvgPool2d", b => b.AdaptiveAvgPool2d(D(b, 1, 1, 4, 4), D(b, 1, 1, 0, 2)));
        yield return ("AdaptiveAvgPool2d", b => b.AdaptiveAvgPool2d(D(b, 2, 1, 4, 4), D(b, 1, 1, 2, 2)));
        yield return ("AdaptiveAvgPool2dBackward", b => b.AdaptiveAvgPool2dBackward(D(b, 1, 3, 2, 2), D(b, 1, 1, 4, 4)));
        yield return ("BatchNormForward", b => b.BatchNormForward(new(D(b, 2, 3), null, null, null, null, D(b, 3), D(b, 3), false, 0.1f, 1e-5f),
                                                                  D(b, 2, 3)));
        yield return ("BatchNormForward", b => b.BatchNormForward(new(D(b, 2, 3), null, null, null, null, D(b, 3), D(b, 3), true, 0.1f, 1e-5f),
                                                                  D(b, 3, 2)));
        yield return ("BatchNormForward", b => b.BatchNormForward(new(D(b, 6), null, null, null, null, D(b, 3), D(b, 3), true, 0.1f, 1e-5f), D(b, 6)));
        yield return ("BatchNormBackward", b => b.BatchNormBackward(new(D(b, 2, 3), StridedView.Contiguous(New(b, 2), 0, [3]), null, null, null, D(b, 3),
                                                                        D(b, 3), true, 0.1f, 1e-5f), D(b, 2, 3), new(D(b, 2, 3), null, null)));
        yield return ("BatchNormBackward", b => b.BatchNormBackward(new(D(b, 2, 3), null, null, null, null, D(b, 3), D(b, 3), true, 0.1f, 1e-5f),
                                                                    D(b, 2, 3), new(D(b, 2, 3), D(b, 2), null)));
        yield return ("DropoutMask", b => b.DropoutMask(View(New(b, 4), 0, 4), 1.5f, 1, 0));
        yield return ("DropoutMask", b => b.DropoutMask(View(New(b, 4), 0, 5), 0.5f, 1, 0));
        yield return ("Upload", b => b.Upload(new float[5], New(b, 4), 0));
    }

    private static void Gather(IBackend b, float badIndex) =>
        b.Gather(View(Of(b, [1, 2, 3]), 0, 1, 3), View(Of(b, [0, badIndex]), 0, 1, 2), 1, View(New(b, 2), 0, 1, 2));

    private static void CrossEntropy(IBackend b, float badTarget) =>
        b.CrossEntropy(0f, View(Of(b, [1, 2, 3, 4, 5, 6]), 0, 2, 3), View(Of(b, [0, badTarget]), 0, 2), View(New(b, 2), 0, 2), View(New(b, 2), 0, 2));


    // The buffers a fault case allocates, disposed after each call so that none is left to a finaliser.
    private static readonly List<DeviceBuffer> Held = [];

    private static DeviceBuffer New(IBackend backend, int length)
    {
        var buffer = backend.Allocate(length);
        Held.Add(buffer);
        return buffer;
    }

    /// <summary>A dense view of <paramref name="shape"/> over a new buffer of <paramref name="length"/> floats.</summary>
    private static StridedView Dense(IBackend backend, int length, params int[] shape) => StridedView.Contiguous(New(backend, length), 0, shape);
    /// <summary>A dense view of a new buffer of exactly <paramref name="shape"/>'s size.</summary>
    private static StridedView D(IBackend backend, params int[] shape) => View(New(backend, shape.Aggregate(1, (a, d) => a * d)), 0, shape);

    private static DeviceBuffer Of(IBackend backend, float[] values)
    {
        var buffer = New(backend, values.Length);
        backend.Upload(values, buffer, 0);
        return buffer;
    }

    private static ArgumentException Refusal(IBackend backend, Action<IBackend> call, string op = "the call")
    {
        try
        {
            call(backend);
            backend.Synchronize();
        }
        catch (ArgumentException e)
        {
            return e;
        }
        finally
        {
            foreach (var buffer in Held) buffer.Dispose();
            Held.Clear();
        }
        throw new AssertionException($"{backend.Name} accepted {op}.");
    }

    [Test]
    public void EveryBackendRefusesWithTheReferencesMessage()
    {
        var faults = new List<string>();
        int number = 0;
        foreach (var (op, call) in Faults())
        {
            number++;
            var expected = Refusal(Oracle, call, $"fault {number} ({op})");
            var actual = Refusal(Backend, call, $"fault {number} ({op})");
            Assert.That(expected.Message, Does.StartWith(op + ":"), $"fault {number}: the reference's message names the operation first");
            bool same = actual.GetType() == expected.GetType() && actual.ParamName == expected.ParamName &&
                        (actual.Message == expected.Message || Backend.IsGpu && actual.Message.StartsWith(expected.Message.Split(" (Parameter")[0]));
            if (!same)
                faults.Add($"fault {number} ({op}): {Backend.Name} threw {actual.GetType().Name} '{actual.Message}', " +
                           $"the reference {expected.GetType().Name} '{expected.Message}'.");
        }
        Assert.That(faults, Is.Empty, string.Join("\n", faults));
    }

    [Test]
    public void TheDeviceReportsABadIndexAtSynchronisationAndSaysSo()
    {
        var e = Refusal(Backend, b => Gather(b, 7f));
        string shared = "Gather: index 7 at position 1 of the index array (counted row-major) is out of range for an axis " +
                        "of size 3 (indices must be integers in [0, 3)).";
        Assert.That(e.Message, Does.StartWith(shared));
        Assert.That(e.Message.Contains("next synchronisation"), Is.EqualTo(Backend.IsGpu));
    }
}
