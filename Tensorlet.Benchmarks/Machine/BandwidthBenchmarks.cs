using System.Numerics;
using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;

namespace Tensorlet.Benchmarks.Machine;

/// <summary>
/// Main-memory bandwidth, STREAM-style, over 16M-float (64 MiB) arrays, far beyond the L3: read-sum (1 array
/// read), copy (1 read, 1 written) and triad a = b + s·c (2 read, 1 written), split statically over 1 thread
/// or all. Bytes count what the program asks for; write-allocate traffic is not added.
/// </summary>
[ThroughputColumns]
public class BandwidthBenchmarks : IWorkload
{
    private const int Length = 16 << 20;
    private float[] _a = [], _b = [], _c = [];

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => PeakBenchmarks.ThreadCounts;

    [GlobalSetup]
    public void Setup()
    {
        Tensorlet.Threads.Count = Threads;
        _a = new float[Length];
        _b = new float[Length];
        _c = new float[Length];
        _b.AsSpan().Fill(1f);
        _c.AsSpan().Fill(2f);
    }

    public Work WorkPerOperation(string method) => method switch
    {
        nameof(ReadSum) => new(0, 4.0 * Length),
        nameof(Copy) => new(0, 8.0 * Length),
        nameof(Triad) => new(2.0 * Length, 12.0 * Length),
        _ => default,
    };

    [Benchmark]
    public float ReadSum()
    {
        var partial = new float[Threads];
        Tensorlet.Threads.Run(Threads, t =>
        {
            var (s, e) = Tensorlet.Threads.Range(Length, Threads, t);
            var span = _b.AsSpan(s, e - s);
            Vector<float> acc0 = default, acc1 = default;
            int w = Vector<float>.Count, i = 0;
            for (; i + 2 * w <= span.Length; i += 2 * w)
            {
                acc0 += new Vector<float>(span[i..]);
                acc1 += new Vector<float>(span[(i + w)..]);
            }
            float sum = Vector.Sum(acc0 + acc1);
            for (; i < span.Length; i++) sum += span[i];
            partial[t] = sum;
        });
        return partial.Sum();
    }

    [Benchmark]
    public void Copy() => Tensorlet.Threads.Run(Threads, t =>
    {
        var (s, e) = Tensorlet.Threads.Range(Length, Threads, t);
        _b.AsSpan(s, e - s).CopyTo(_a.AsSpan(s, e - s));
    });

    [Benchmark]
    public void Triad() => Tensorlet.Threads.Run(Threads, t =>
    {
        var (s, e) = Tensorlet.Threads.Range(Length, Threads, t);
        Span<float> a = _a.AsSpan(s, e - s);
        ReadOnlySpan<float> b = _b.AsSpan(s, e - s), c = _c.AsSpan(s, e - s);
        var scale = new Vector<float>(3f);
        int w = Vector<float>.Count, i = 0;
        for (; i + w <= a.Length; i += w)
            (new Vector<float>(b[i..]) + scale * new Vector<float>(c[i..])).CopyTo(a[i..]);
        for (; i < a.Length; i++) a[i] = b[i] + 3f * c[i];
    });
}
