using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Reference;

namespace Tensorlet.Benchmarks.Elementwise;

/// <summary>
/// Element-wise kernels, reference loops (strided index arithmetic, double precision, one thread) against the CPU
/// backend, on an activation-shaped tensor [64, 256, 32·32] of 16M floats (64 MiB, twice the L3): binary add and mul,
/// a per-channel bias added by broadcasting (stride 0), ReLU and exp. GB/s counts 4 B per operand element read or
/// written once; FLOPs count one per output element.
/// </summary>
[ThroughputColumns]
public class ElementwiseVariantBenchmarks : DeviceBenchmark, IWorkload
{
    private static readonly int[] Shape = [64, 256, 1024];
    private const int Count = 64 * 256 * 1024;
    private float[] _a = [], _b = [], _bias = [], _c = [];
    private HostView _ha, _hb, _hbias, _hc;
    private StridedView _va, _vb, _vbias, _vc;

    [ParamsSource(typeof(Variants), nameof(Variants.Available))]
    public KernelVariant Variant { get; set; } = KernelVariant.Reference;

    // The bias [C] seen as [N, C, HW] with strides (0, 1, 0): broadcasting without a copy.
    private static int[] BiasStrides => [0, 1, 0];

    [GlobalSetup]
    public void Setup()
    {
        Variants.UseThreads(Variant);
        (_a, _b, _bias, _c) = (Variants.Random(Count, 1), Variants.Random(Count, 2), Variants.Random(Shape[1], 3), new float[Count]);
        (_ha, _hb, _hc) = (HostView.Contiguous(_a, Shape), HostView.Contiguous(_b, Shape), HostView.Contiguous(_c, Shape));
        _hbias = new HostView(_bias, 0, Shape, BiasStrides);
        if (Variant == KernelVariant.Reference) return;
        Backend = Variants.Backend(Variant);
        Buffers = [Variants.Upload(Backend, _a), Variants.Upload(Backend, _b), Variants.Upload(Backend, _bias), Variants.Upload(Backend, _c)];
        (_va, _vb, _vc) = (StridedView.Contiguous(Buffers[0], 0, Shape), StridedView.Contiguous(Buffers[1], 0, Shape), StridedView.Contiguous(Buffers[3], 0, Shape));
        _vbias = new StridedView(Buffers[2], 0, Shape, BiasStrides);
    }

    public Work WorkPerOperation(string method) =>
        new(Count, (method is nameof(Add) or nameof(Mul) ? 12.0 : 8.0) * Count, Variants.ThreadCount(Variant));

    [Benchmark]
    public void Add() => Binary<Kernels.Ops.Add>(false);

    [Benchmark]
    public void Mul() => Binary<Kernels.Ops.Mul>(false);

    [Benchmark]
    public void AddBias() => Binary<Kernels.Ops.Add>(true);

    [Benchmark]
    public void Relu() => Unary<Kernels.Ops.Relu>();

    [Benchmark]
    public void Exp() => Unary<Kernels.Ops.Exp>();

    private void Binary<TOp>(bool bias) where TOp : struct, Kernels.Ops.IBinaryOp<TOp>
    {
        if (Variant == KernelVariant.Reference) Kernels.Reference.Elementwise.Binary<TOp>(_ha, bias ? _hbias : _hb, _hc);
        else { Backend!.Binary<TOp>(_va, bias ? _vbias : _vb, _vc); Variants.Sync(Backend); }
    }

    private void Unary<TOp>() where TOp : struct, Kernels.Ops.IUnaryOp<TOp>
    {
        if (Variant == KernelVariant.Reference) Kernels.Reference.Elementwise.Unary<TOp>(_ha, _hc);
        else { Backend!.Unary<TOp>(_va, _vc); Variants.Sync(Backend); }
    }
}
