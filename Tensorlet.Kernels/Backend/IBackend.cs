using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels;

/// <summary>
/// Everything a device must do for Tensorlet.Core: own memory and run kernels over it. Core talks only to
/// this interface, so a new device (the ILGPU backend) is an implementation, not a rewrite. Kernels take
/// buffers and layouts, never tensors; they do no autograd and no shape inference beyond what is stated.
/// Unless a method says otherwise, destinations may not alias their sources.
/// </summary>
public interface IBackend : IDisposable, IConvolutionKernels, IPoolingKernels, INormalizationKernels
{
    /// <summary>A short name ("cpu", "cuda:0", ...).</summary>
    string Name { get; }

    /// <summary>A buffer of <paramref name="length"/> floats from the pool; its contents are undefined.</summary>
    DeviceBuffer Allocate(int length);

    /// <summary>Bytes currently held by the pool, idle or in use (for memory-flatness checks).</summary>
    long PooledBytes { get; }

    /// <summary>Bytes in buffers handed out and not yet returned.</summary>
    long LiveBytes { get; }

    /// <summary>Frees idle pooled memory.</summary>
    void TrimPool();

    // ---- the device itself -----------------------------------------------------------------------------

    /// <summary>True when the kernels run on an accelerator queue (ILGPU: CUDA, OpenCL, its CPU accelerator).</summary>
    bool IsGpu => false;

    /// <summary>
    /// Waits until every queued kernel has finished and reports any error one of them found. Devices whose kernels
    /// return when done (the CPU, the reference) have nothing to wait for.
    /// </summary>
    void Synchronize() { }

    /// <summary>
    /// The buffer's memory itself when it is a host array the caller may read and write in place (CPU and reference
    /// buffers); null for device memory, which only <see cref="Download"/> can read.
    /// </summary>
    float[]? HostArray(DeviceBuffer buffer) => null;

    // ---- transfers ------------------------------------------------------------------------------------

    /// <summary>Copies host floats into <paramref name="dst"/> at <paramref name="dstOffset"/>.</summary>
    void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset);

    /// <summary>Copies <paramref name="dst"/>.Length floats from <paramref name="src"/> at <paramref name="srcOffset"/> to the host.</summary>
    void Download(DeviceBuffer src, int srcOffset, Span<float> dst);

    // ---- movement -------------------------------------------------------------------------------------

    /// <summary>Sets every element of the view to <paramref name="value"/>.</summary>
    void Fill(in StridedView dst, float value);

    /// <summary>dst[i] = src[i] for two views of the same shape (src may broadcast with stride 0).</summary>
    void Copy(in StridedView src, in StridedView dst);

    // ---- element-wise ---------------------------------------------------------------------------------

    /// <summary>
    /// dst[i] = TOp(src[i]; α, β); src and dst have the same shape and may be the same memory. The op is a struct of
    /// <c>Tensorlet.Kernels.Ops</c> (its math written once there), so a new op needs no change here or in any backend.
    /// </summary>
    void Unary<TOp>(in StridedView src, in StridedView dst, float alpha = 0f, float beta = 0f) where TOp : struct, IUnaryOp<TOp>;

    /// <summary>
    /// dst[i] = TOp(a[i], b[i]; α, β); all three have the same shape (broadcast inputs use stride 0).
    /// dst may be the same memory as a or b, element for element (in-place accumulate).
    /// </summary>
    void Binary<TOp>(in StridedView a, in StridedView b, in StridedView dst, float alpha = 0f, float beta = 0f) where TOp : struct, IBinaryOp<TOp>;

    /// <summary>dst[i] = cond[i] != 0 ? a[i] : b[i]; all four have the same shape.</summary>
    void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst);

    // ---- reductions -----------------------------------------------------------------------------------

    /// <summary>
    /// Reduces <paramref name="src"/> (any rank ≥ 1, any layout) over <paramref name="axis"/> into <paramref name="dst"/>,
    /// which has src's shape with that axis kept as size 1. <paramref name="scale"/> multiplies a <see cref="ReduceOp.Sum"/>
    /// (use 1/length for a mean). Layouts whose dims before and after the axis each merge into one evenly strided dim,
    /// in src's order or in memory order (dense, sliced rows, batch strides, transposes), are walked where they lie.
    /// </summary>
    void Reduce(ReduceOp op, in StridedView src, int axis, in StridedView dst, float scale = 1f);

    // ---- indexing -------------------------------------------------------------------------------------

    /// <summary>
    /// dst[..., j, ...] = src[..., index[..., j, ...], ...] along <paramref name="axis"/> (torch.gather): index has src's
    /// shape outside the axis and dst has index's shape. Indices are floats holding integers; out-of-range indices throw.
    /// </summary>
    void Gather(in StridedView src, in StridedView index, int axis, in StridedView dst);

    /// <summary>
    /// dst[..., index[..., j, ...], ...] += src[..., j, ...]: the adjoint of <see cref="Gather"/>. index has src's shape and
    /// dst has src's shape outside <paramref name="axis"/>; dst is added into (any layout that does not repeat elements).
    /// </summary>
    void ScatterAdd(in StridedView src, in StridedView index, int axis, in StridedView dst);

    // ---- linear algebra -------------------------------------------------------------------------------

    /// <summary>
    /// For each b in [0, batch): C_b = α·A_b·B_b + β·C_b, with a [batch, m, k], b [batch, k, n] and c [batch, m, n]
    /// (a 2-D a or b is the same matrix for every b; a 2-D c is a batch of one). The strides say the layout: a matrix
    /// with unit column stride is read in place, one with unit row stride in place as a transpose, and a batch stride of 0
    /// repeats one matrix; other layouts may cost the backend a dense copy. c must not overlap itself. With β = 0, c is not
    /// read (NaNs in it do not propagate).
    /// </summary>
    void Gemm(float alpha, in StridedView a, in StridedView b, float beta, in StridedView c);

    // ---- softmax --------------------------------------------------------------------------------------

    /// <summary>
    /// (Log-)softmax of <paramref name="src"/> along its last dimension into <paramref name="dst"/> (same shape, rank ≥ 1,
    /// any strides), numerically stable (max subtracted).
    /// </summary>
    void Softmax(bool log, in StridedView src, in StridedView dst);

    /// <summary>
    /// Gradient of a (log-)softmax along the last dimension given its output y and the upstream gradient g (all views
    /// of one shape): softmax: dx = y ⊙ (g − Σ g⊙y); log-softmax: dx = g − e^y · Σ g.
    /// </summary>
    void SoftmaxBackward(bool log, in StridedView y, in StridedView grad, in StridedView dst);

    // ---- losses ---------------------------------------------------------------------------------------

    /// <summary>
    /// Cross-entropy of each row of <paramref name="logits"/> [rows, C] (any strides) against the class index in
    /// <paramref name="target"/> [rows] (floats holding integers in [0, C); anything else is a data fault worded by
    /// <see cref="OperationChecks.BadTarget"/>), with label smoothing ε:
    /// with m_r = max_c x_rc (0 for a row of −∞ only) and lse_r = m_r + logSum_r the row's log-sum-exp,
    /// logSum_r = log Σ_c e^(x_rc − m_r) and loss_r = (1 − ε)·(lse_r − x_r,t) + ε·(lse_r − Σ_c x_rc / C), the ε term left
    /// out when ε = 0. logSum is kept apart from the max, as log-softmax keeps (x − m) − log Σ: lse rounded to the ulp
    /// of a large max would cost the backward's probabilities their digits. NaN and ±∞ logits give what log-softmax
    /// followed by a gather gives.
    /// </summary>
    void CrossEntropy(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView loss, in StridedView logSum);

    /// <summary>
    /// The logits' gradient of <see cref="CrossEntropy"/> in one pass, given its <paramref name="logSum"/> and the upstream
    /// gradient <paramref name="grad"/> [rows]: dst = β·dst + g_r·(e^((x_rc − m_r) − logSum_r) − (1 − ε)·[c = t_r] − ε/C), the
    /// row max m_r found again (a pass over a row the gradient pass then reads from cache). With β = 0, dst
    /// is not read (NaNs in it do not propagate); with β = 1 it accumulates into an existing gradient.
    /// </summary>
    void CrossEntropyBackward(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView logSum,
                              in StridedView grad, float beta, in StridedView dst);
}
