using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>One operand of a GPU GEMM: matrix b of the batch starts at Offset + (b / inner)·OuterStride + (b % inner)·InnerStride.</summary>
internal readonly record struct GemmMatrix(DeviceBuffer Buffer, int Offset, int Ld, int OuterStride = 0, int InnerStride = 0);

/// <summary>
/// Tiled SGEMM, C = α·op(A)·op(B) + β·C, row-major, for a batch of matrices. A group of TX×TY threads computes one
/// (4·TY)×(4·TX) tile of C: it stages a 16-deep slice of op(A) and op(B) in shared memory, then each thread multiplies
/// its 4×4 block out of registers, 8 shared-memory reads per 16 multiply-adds. The group shape is chosen at run time
/// from the accelerator's group limit (16×16 threads and 64×64 tiles on a GPU, 4×4 threads and 16×16 tiles on ILGPU's
/// 16-thread CPU accelerator), so the tile buffers are dynamic shared memory. Groups loop over the tiles of every
/// matrix of the batch (grid-stride), so the batch is part of the grid, not a host loop.
/// </summary>
internal sealed class GemmKernels
{
    /// <summary>Rows and columns of C each thread owns.</summary>
    internal const int Micro = 4;

    /// <summary>Depth of the op(A)/op(B) slices staged in shared memory per step.</summary>
    internal const int Depth = 16;

    private readonly Action<AcceleratorStream, KernelConfig, GemmArgs> _gemm;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<GemmArgs>)GemmKernel,
    ];

    public GemmKernels(Accelerator accelerator)
    {
        // Square groups of a power of two per side, 16×16 at most: 256 threads is enough to hide latency on a GPU and keeps
        // 16 accumulators per thread within the register budget. Below 16 threads (4×4) the load pattern would not divide.
        int side = 4;
        while (side < 16 && (side * 2) * (side * 2) <= accelerator.MaxNumThreadsPerGroup) side *= 2;
        if (side * side > accelerator.MaxNumThreadsPerGroup)
            throw new NotSupportedException(
                $"Gemm: the accelerator allows {accelerator.MaxNumThreadsPerGroup} threads per group; the tiled GEMM needs at least 16.");
        Side = side;
        _gemm = accelerator.LoadKernel<GemmArgs>(GemmKernel);
    }

    /// <summary>Threads per side of a group; a tile of C is (4·Side)² elements.</summary>
    public int Side { get; }

    /// <summary>Rows (and columns) of C one group computes.</summary>
    public int Tile => Micro * Side;

    /// <summary>Everything the kernel needs, by value (see <see cref="GemmMatrix"/> for the batch offsets).</summary>
    internal struct GemmArgs
    {
        public ArrayView<float> A, B, C;
        public int TransA, TransB, M, N, K;
        public float Alpha, Beta;
        public int OffA, Lda, OuterA, InnerA;
        public int OffB, Ldb, OuterB, InnerB;
        public int OffC, Ldc, OuterC, InnerC;
        public int Inner, Batch, TilesM, TilesN;
        public int Side, LogSide;
    }

    /// <summary>
    /// Runs the GEMM over outer·inner matrices (batch index b = o·inner + i). Arguments must already be checked;
    /// m, n and the batch must be positive. With β = 0, C is never read.
    /// </summary>
    public void Run(GpuBackend backend, bool transA, bool transB, int m, int n, int k, float alpha,
                    in GemmMatrix a, in GemmMatrix b, float beta, in GemmMatrix c, int outer, int inner)
    {
        int tile = Tile, tilesM = (m + tile - 1) / tile, tilesN = (n + tile - 1) / tile;
        long tiles = (long)tilesM * tilesN * outer * inner;
        if (tiles > int.MaxValue) throw new ArgumentException($"Gemm: {tiles} tiles of {tile}×{tile} exceed the kernel's int indexing.");
        var args = new GemmArgs
        {
            // k = 0 reads neither A nor B; their views may then be empty buffers, which is fine since no load happens.
            A = GpuBackend.View(a.Buffer), B = GpuBackend.View(b.Buffer), C = GpuBackend.View(c.Buffer),
            TransA = transA ? 1 : 0, TransB = transB ? 1 : 0, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
            OffA = a.Offset, Lda = a.Ld, OuterA = a.OuterStride, InnerA = a.InnerStride,
            OffB = b.Offset, Ldb = b.Ld, OuterB = b.OuterStride, InnerB = b.InnerStride,
            OffC = c.Offset, Ldc = c.Ld, OuterC = c.OuterStride, InnerC = c.InnerStride,
            Inner = inner, Batch = outer * inner, TilesM = tilesM, TilesN = tilesN,
            Side = Side, LogSide = System.Numerics.BitOperations.Log2((uint)Side),
        };
        int groups = (int)Math.Min(tiles, backend.MaxGroups);
        var shared = SharedMemoryConfig.RequestDynamic<float>(Depth * (2 * tile + 2));
        _gemm(backend.Stream, new KernelConfig(groups, Side * Side, shared), args);
    }

    /// <summary>Four accumulators or four operands: one row (or column) of a thread's 4×4 block, kept in registers.</summary>
    internal struct Quad
    {
        public float V0, V1, V2, V3;
    }

    // c += a·b for one row of the block; by value so ILGPU keeps the block in registers rather than local memory.
    private static Quad Fma(Quad c, float a, Quad b)
    {
        c.V0 += a * b.V0;
        c.V1 += a * b.V1;
        c.V2 += a * b.V2;
        c.V3 += a * b.V3;
        return c;
    }

    private static void GemmKernel(GemmArgs o)
    {
        int side = o.Side, tile = Micro * side, tid = Group.IdxX, threads = side * side;
        int tx = tid & (side - 1), ty = tid >> o.LogSide;
        // Each slice row is padded by one float: the transposed loads below store down a column, and without the pad those
        // stores would all hit the same bank.
        int ldShared = tile + 1;
        var shared = SharedMemory.GetDynamic<float>();
        var sa = shared.SubView(0, Depth * ldShared);
        var sb = shared.SubView(Depth * ldShared, Depth * ldShared);

        // Load pattern: consecutive threads read consecutive addresses of the stored matrix (coalesced). For a plain A (m×k)
        // that runs along k, for a transposed one (stored k×m) along m; likewise B. Each thread keeps a fixed position on the
        // fast axis and strides down the slow one; the sizes are powers of two, so the steps divide exactly.
        int aFast = o.TransA != 0 ? tile : Depth, aSlowCount = o.TransA != 0 ? Depth : tile;
        int bFast = o.TransB != 0 ? Depth : tile, bSlowCount = o.TransB != 0 ? tile : Depth;
        int aLane = tid % aFast, aSlow0 = tid / aFast, aStep = threads / aFast;
        int bLane = tid % bFast, bSlow0 = tid / bFast, bStep = threads / bFast;

        int perMatrix = o.TilesM * o.TilesN, total = perMatrix * o.Batch;
        for (int t = Grid.IdxX; t < total; t += Grid.DimX)
        {
            int batch = t / perMatrix, r = t - batch * perMatrix;
            int m0 = r / o.TilesN * tile, n0 = r % o.TilesN * tile;
            int outer = batch / o.Inner, inner = batch - outer * o.Inner;
            int baseA = o.OffA + outer * o.OuterA + inner * o.InnerA;
            int baseB = o.OffB + outer * o.OuterB + inner * o.InnerB;
            int baseC = o.OffC + outer * o.OuterC + inner * o.InnerC;

            Quad c0 = default, c1 = default, c2 = default, c3 = default;
            for (int k0 = 0; k0 < o.K; k0 += Depth)
            {
                for (int s = aSlow0; s < aSlowCount; s += aStep)
                {
                    // (i, p): row of op(A) within the tile and depth within the slice. Outside the matrix reads as 0.
                    int i = o.TransA != 0 ? aLane : s, p = o.TransA != 0 ? s : aLane;
                    int gi = m0 + i, gp = k0 + p;
                    float v = 0f;
                    if (gi < o.M && gp < o.K) v = o.A[baseA + (o.TransA != 0 ? gp * o.Lda + gi : gi * o.Lda + gp)];
                    sa[p * ldShared + i] = v;
                }
                for (int s = bSlow0; s < bSlowCount; s += bStep)
                {
                    int j = o.TransB != 0 ? s : bLane, p = o.TransB != 0 ? bLane : s;
                    int gj = n0 + j, gp = k0 + p;
                    float v = 0f;
                    if (gj < o.N && gp < o.K) v = o.B[baseB + (o.TransB != 0 ? gj * o.Ldb + gp : gp * o.Ldb + gj)];
                    sb[p * ldShared + j] = v;
                }
                Group.Barrier();

                // Thread (tx, ty) owns rows ty + i·side and columns tx + j·side: neighbouring threads read neighbouring
                // floats of a slice row (no bank conflicts) and later write neighbouring columns of C (coalesced).
                for (int p = 0; p < Depth; p++)
                {
                    int rowA = p * ldShared + ty, rowB = p * ldShared + tx;
                    Quad b;
                    b.V0 = sb[rowB];
                    b.V1 = sb[rowB + side];
                    b.V2 = sb[rowB + 2 * side];
                    b.V3 = sb[rowB + 3 * side];
                    c0 = Fma(c0, sa[rowA], b);
                    c1 = Fma(c1, sa[rowA + side], b);
                    c2 = Fma(c2, sa[rowA + 2 * side], b);
                    c3 = Fma(c3, sa[rowA + 3 * side], b);
                }
                // The next slice overwrites the buffers: every thread must be done reading this one.
                Group.Barrier();
            }

            int col = n0 + tx;
            StoreRow(o, baseC, m0 + ty, col, c0);
            StoreRow(o, baseC, m0 + ty + side, col, c1);
            StoreRow(o, baseC, m0 + ty + 2 * side, col, c2);
            StoreRow(o, baseC, m0 + ty + 3 * side, col, c3);
        }
    }

    private static void StoreRow(in GemmArgs o, int baseC, int row, int col, Quad acc)
    {
        if (row >= o.M) return;
        int at = baseC + row * o.Ldc;
        Store(o, at, col, acc.V0);
        Store(o, at, col + o.Side, acc.V1);
        Store(o, at, col + 2 * o.Side, acc.V2);
        Store(o, at, col + 3 * o.Side, acc.V3);
    }

    private static void Store(in GemmArgs o, int rowStart, int col, float acc)
    {
        if (col >= o.N) return;
        // β = 0 writes without reading, so NaN or garbage in an uninitialised C cannot leak into the result.
        float value = o.Alpha * acc;
        if (o.Beta != 0f) value += o.Beta * o.C[rowStart + col];
        o.C[rowStart + col] = value;
    }
}
