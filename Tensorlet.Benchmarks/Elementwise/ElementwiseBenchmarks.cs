using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Elementwise;

/// <summary>
/// Memory-bound CPU kernels on 16M floats (64 MB per array, twice the L3), next to plain copy and triad loops
/// that measure what the memory system can deliver. Bytes moved per call, for GB/s = bytes / Mean:
/// Add, Mul, Triad: 3 × 64 MB (read 2, write 1); Sum, Read: 64 MB; Copy: 2 × 64 MB.
/// </summary>
[MemoryDiagnoser]
[ThroughputColumns]
public class ElementwiseBenchmarks : IWorkload
{
    private const int N = 16 << 20;
    private readonly IBackend _cpu = CpuBackend.Instance;
    private DeviceBuffer _a = null!, _b = null!, _c = null!, _sum = null!;
    private StridedView _va, _vb, _vc;

    [Params(1, 2)]
    public int Threads { get; set; }

    public Work WorkPerOperation(string method) => method switch
    {
        nameof(Add) or nameof(Mul) => new(N, 12.0 * N),
        nameof(Triad) => new(2.0 * N, 12.0 * N),
        nameof(Sum) => new(N, 4.0 * N),
        nameof(Read) => new(N, 4.0 * N),
        nameof(Copy) => new(0, 8.0 * N),
        _ => default,
    };

    [GlobalSetup]
    public void Setup()
    {
        Tensorlet.Threads.Count = Threads;
        _a = _cpu.Allocate(N);
        _b = _cpu.Allocate(N);
        _c = _cpu.Allocate(N);
        _sum = _cpu.Allocate(1);
        _va = StridedView.Contiguous(_a, 0, [N]);
        _vb = StridedView.Contiguous(_b, 0, [N]);
        _vc = StridedView.Contiguous(_c, 0, [N]);
        var rng = new Random(1);
        var host = new float[N];
        for (int i = 0; i < N; i++) host[i] = rng.NextSingle();
        _cpu.Upload(host, _a, 0);
        _cpu.Upload(host, _b, 0);
        _cpu.Fill(_vc, 0f);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _sum.Dispose();
    }

    [Benchmark(Description = "add a+b→c (192 MB)")]
    public void Add() => _cpu.Binary<Kernels.Ops.Add>(_va, _vb, _vc);

    [Benchmark(Description = "mul a*b→c (192 MB)")]
    public void Mul() => _cpu.Binary<Kernels.Ops.Mul>(_va, _vb, _vc);

    [Benchmark(Description = "sum a (64 MB)")]
    public void Sum() => _cpu.Reduce(ReduceOp.Sum, StridedView.Contiguous(_a, 0, [N]), 0, StridedView.Contiguous(_sum, 0, [1]));

    /// <summary>Baseline: memmove in static parts (read 1, write 1).</summary>
    [Benchmark(Description = "copy baseline (128 MB)")]
    public void Copy()
    {
        float[] a = ((CpuBuffer)_a).Array, c = ((CpuBuffer)_c).Array;
        Tensorlet.Threads.For(N, 1 << 16, (s, e) => a.AsSpan(s, e - s).CopyTo(c.AsSpan(s, e - s)));
    }

    /// <summary>Baseline: STREAM-style triad c = a + 3b, vectorised, ordinary stores (read 2, write 1).</summary>
    [Benchmark(Description = "triad baseline (192 MB)")]
    public void Triad()
    {
        float[] a = ((CpuBuffer)_a).Array, b = ((CpuBuffer)_b).Array, c = ((CpuBuffer)_c).Array;
        Tensorlet.Threads.For(N, 1 << 16, (s, e) =>
        {
            ref float pa = ref a[s], pb = ref b[s], pc = ref c[s];
            var three = Vector256.Create(3f);
            for (nuint i = 0; i < (nuint)(e - s); i += 8)
                (Vector256.LoadUnsafe(ref pa, i) + three * Vector256.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pc, i);
        });
    }

    /// <summary>Baseline: read-only stream, four plain accumulators (read 1).</summary>
    [Benchmark(Description = "read baseline (64 MB)")]
    public float Read()
    {
        float[] a = ((CpuBuffer)_a).Array;
        var partial = new float[Tensorlet.Threads.Count];
        Tensorlet.Threads.Run(partial.Length, p =>
        {
            var (s, e) = Tensorlet.Threads.Range(N, partial.Length, p);
            ref float pa = ref a[s];
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (nuint i = 0; i < (nuint)(e - s); i += 32)
            {
                s0 += Vector256.LoadUnsafe(ref pa, i);
                s1 += Vector256.LoadUnsafe(ref pa, i + 8);
                s2 += Vector256.LoadUnsafe(ref pa, i + 16);
                s3 += Vector256.LoadUnsafe(ref pa, i + 24);
            }
            partial[p] = Vector256.Sum(s0 + s1 + s2 + s3);
        });
        return partial.Sum();
    }
}
