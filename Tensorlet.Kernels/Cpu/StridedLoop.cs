using System.Runtime.Intrinsics.X86;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// One row of an element-wise walk: <see cref="N"/> elements; operand k starts at Ok and advances by Sk.
/// Operands are numbered in the kernel's own order (sources first, destination last); unused ones are 0.
/// </summary>
internal readonly record struct Row(int N, int O0, int S0, int O1, int S1, int O2, int S2, int O3, int S3);

/// <summary>Processes one row; implemented by the Fill/Copy/Unary/Binary/Where kernels.</summary>
internal interface IRowKernel
{
    void Run(in Row row);
}

/// <summary>
/// The one N-d strided iterator every element-wise kernel shares. Up to four views of one shape are
/// coalesced (size-1 dimensions dropped, dimensions merged where every operand is dense across them), so a
/// contiguous array becomes a single row and a bias-style broadcast becomes rows with a stride-0 operand.
/// The walk then hands the innermost dimension to the kernel row by row; the kernel picks a vector fast path
/// when the row's strides allow one. Parallel parts split the flat element range, so a part may start and end
/// mid-row, and every split is static (deterministic).
/// </summary>
internal sealed class StridedLoop
{
    /// <summary>Below this many elements per part a parallel split costs more than it saves.</summary>
    public const int MinPerPart = 32 * 1024;

    private readonly int _rank;
    private readonly int[] _shape;
    private readonly int[][] _strides;
    private readonly int[] _offsets;

    /// <summary>Number of elements.</summary>
    public int Count { get; }

    public StridedLoop(params StridedView[] views)
    {
        int[] shape = views[^1].Shape;
        int ops = views.Length;
        int rank = 0;
        _shape = new int[Math.Max(1, shape.Length)];
        _strides = new int[4][];
        _offsets = new int[4];
        for (int k = 0; k < 4; k++)
        {
            _strides[k] = new int[_shape.Length];
            _offsets[k] = k < ops ? views[k].Offset : 0;
        }
        long count = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            count *= shape[d];
            if (shape[d] == 1) continue;
            bool merge = rank > 0;
            for (int k = 0; k < ops && merge; k++)
                merge = _strides[k][rank - 1] == (long)views[k].Strides[d] * shape[d];
            if (!merge) rank++;
            _shape[rank - 1] = merge ? _shape[rank - 1] * shape[d] : shape[d];
            for (int k = 0; k < ops; k++) _strides[k][rank - 1] = views[k].Strides[d];
        }
        if (rank == 0) _shape[rank++] = 1;
        _rank = rank;
        Count = (int)count;
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> over every element, split across <see cref="Threads"/> when large. With
    /// <paramref name="fence"/> (a kernel that streams its stores past the cache) each thread issues one store fence
    /// after its last row, so its results are visible before the call returns.
    /// </summary>
    public void Run<TKernel>(TKernel kernel, bool fence = false) where TKernel : struct, IRowKernel
    {
        int n = Count;
        if (n == 0) return;
        if (Threads.PartsFor(n, MinPerPart) <= 1)
        {
            Walk(ref kernel, 0, n);
            if (fence && Sse.IsSupported) Sse.StoreFence();
            return;
        }
        Threads.For(n, MinPerPart, (s, e) =>
        {
            var k = kernel;
            Walk(ref k, s, e);
            if (fence && Sse.IsSupported) Sse.StoreFence();
        });
    }

    /// <summary>Visits elements [start, end) of the flat row-major order.</summary>
    public void Walk<TKernel>(ref TKernel kernel, int start, int end) where TKernel : struct, IRowKernel
    {
        int last = _rank - 1;
        int[] s0 = _strides[0], s1 = _strides[1], s2 = _strides[2], s3 = _strides[3];
        Span<int> index = stackalloc int[_rank];
        int o0 = _offsets[0], o1 = _offsets[1], o2 = _offsets[2], o3 = _offsets[3];
        int rest = start;
        for (int d = last; d >= 0; d--)
        {
            int i = rest % _shape[d];
            rest /= _shape[d];
            index[d] = i;
            o0 += i * s0[d]; o1 += i * s1[d]; o2 += i * s2[d]; o3 += i * s3[d];
        }
        int pos = start, rowLength = _shape[last];
        while (pos < end)
        {
            int n = Math.Min(rowLength - index[last], end - pos);
            kernel.Run(new Row(n, o0, s0[last], o1, s1[last], o2, s2[last], o3, s3[last]));
            pos += n;
            index[last] += n;
            o0 += n * s0[last]; o1 += n * s1[last]; o2 += n * s2[last]; o3 += n * s3[last];
            // Odometer carry: rewind every dimension that wrapped and step the next outer one; O(1) per row on average.
            for (int d = last; d > 0 && index[d] == _shape[d]; d--)
            {
                int size = _shape[d];
                index[d] = 0;
                o0 -= size * s0[d]; o1 -= size * s1[d]; o2 -= size * s2[d]; o3 -= size * s3[d];
                index[d - 1]++;
                o0 += s0[d - 1]; o1 += s1[d - 1]; o2 += s2[d - 1]; o3 += s3[d - 1];
            }
        }
    }
}
