namespace Tensorlet.Kernels;

/// <summary>
/// One checked <see cref="IBackend.Gemm"/> call translated for kernels that take (transpose, leading dimension, batch
/// stride) operands — the CPU's Sgemm and the GPU's tiled kernel. Each operand is read in place when
/// <see cref="GemmOperand.InPlace"/> can express it, else through a <see cref="DenseOperand"/> (a repeated matrix is
/// copied once, not once per batch entry). A transposed c is computed as Cᵀ = Bᵀ·Aᵀ, so it too is written in place.
/// Run the kernel on <see cref="A"/>, <see cref="B"/> and <see cref="C"/>, then call <see cref="Complete"/>; dispose afterwards.
/// </summary>
internal readonly struct GemmPlan : IDisposable
{
    private readonly DenseOperand _a, _b, _c;

    private GemmPlan(GemmOperand a, GemmOperand b, GemmOperand c, int m, int n, int k, int batch,
                     DenseOperand da, DenseOperand db, DenseOperand dc)
    {
        (A, B, C, M, N, K, Batch) = (a, b, c, m, n, k, batch);
        (_a, _b, _c) = (da, db, dc);
    }

    /// <summary>op(A): M×K.</summary>
    public GemmOperand A { get; }

    /// <summary>op(B): K×N.</summary>
    public GemmOperand B { get; }

    /// <summary>C: M×N, never transposed.</summary>
    public GemmOperand C { get; }

    public int M { get; }
    public int N { get; }
    public int K { get; }
    public int Batch { get; }

    /// <summary>
    /// Opens the operands of a call that <see cref="OperationChecks.Gemm(IBackend, in StridedView, in StridedView, in StridedView)"/>
    /// accepted with these sizes. c is copied in only when β ≠ 0 needs its values.
    /// </summary>
    public static GemmPlan Open(IBackend backend, in StridedView a, in StridedView b, float beta, in StridedView c,
                                (int Batch, int M, int N, int K) sizes)
    {
        DenseOperand da = default, db = default, dc = default;
        try
        {
            var pa = Input(backend, a, ref da);
            var pb = Input(backend, b, ref db);
            var pc = GemmOperand.InPlace(c);
            if (pc == null)
            {
                dc = beta == 0 ? DenseOperand.Write(backend, c) : DenseOperand.Read(backend, c);
                pc = GemmOperand.InPlace(dc.View);
            }
            var (batch, m, n, k) = sizes;
            if (!pc!.Value.Trans) return new GemmPlan(pa, pb, pc.Value, m, n, k, batch, da, db, dc);
            // Cᵀ (n×m, rows Ld apart) = op(B)ᵀ·op(A)ᵀ: the same memory, each input read the other way round.
            return new GemmPlan(pb.Transposed, pa.Transposed, pc.Value.Transposed, n, m, k, batch, da, db, dc);
        }
        catch
        {
            da.Dispose();
            db.Dispose();
            dc.Dispose();
            throw;
        }
    }

    private static GemmOperand Input(IBackend backend, in StridedView view, ref DenseOperand dense)
    {
        var inPlace = GemmOperand.InPlace(view);
        if (inPlace != null) return inPlace.Value;
        // A matrix the batch repeats is copied once and stays repeated (batch stride 0).
        bool repeated = view.Rank == 3 && (view.Shape[0] == 1 || view.Strides[0] == 0);
        var source = repeated ? new StridedView(view.Buffer, view.Offset, view.Shape[1..], view.Strides[1..]) : view;
        dense = DenseOperand.Read(backend, source);
        return GemmOperand.InPlace(dense.View)!.Value;
    }

    /// <summary>Stores C in the caller's view when the kernel wrote a dense copy of it.</summary>
    public void Complete() => _c.Complete();

    /// <summary>Returns any dense copies to the pool.</summary>
    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
    }
}
