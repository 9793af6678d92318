namespace Tensorlet.Kernels;

/// <summary>
/// 2-D convolution over NCHW views (part of <see cref="IBackend"/>), PyTorch's cross-correlation:
/// x [N, C, H, W], weight [K, C/G, KH, KW], bias [K], y [N, K, OH, OW] with G = groups, Cg = C/G, Kg = K/G and
/// output channel k in group g = k / Kg:
/// <code>
/// y[n,k,oh,ow] = b[k] + Σ_{c&lt;Cg, i&lt;KH, j&lt;KW} w[k,c,i,j] · x[n, g·Cg + c, oh·sH − pH + i·dH, ow·sW − pW + j·dW]
/// </code>
/// where x reads as 0 outside the image (zero padding). Every operand is a <see cref="StridedView"/> whose shape must be
/// the one the geometry gives (x [N, C, H, W], weight [K, C/G, KH, KW], bias [K], y and gY [N, K, OH, OW]); any layout
/// is accepted, a backend copies what its kernels cannot walk (see <see cref="DenseOperand"/>). Outputs are
/// overwritten (never accumulated into) and may not alias inputs or overlap themselves.
/// </summary>
public interface IConvolutionKernels
{
    /// <summary>Forward: y = conv(x, weight) + bias (bias broadcast over N, OH, OW; none when null).</summary>
    void Conv2d(in Conv2dGeometry g, in StridedView x, in StridedView weight, in StridedView? bias, in StridedView y);

    /// <summary>
    /// Gradient with respect to the input, the transposed convolution of gY:
    /// gX[n, g·Cg + c, h, w] = Σ gY[n,k,oh,ow] · w[k,c,i,j] over k in group g and every (oh, ow, i, j) with
    /// oh·sH − pH + i·dH = h and ow·sW − pW + j·dW = w.
    /// </summary>
    void Conv2dBackwardInput(in Conv2dGeometry g, in StridedView gradY, in StridedView weight, in StridedView gradX);

    /// <summary>
    /// Gradients with respect to the weight and bias: gW[k,c,i,j] = Σ_{n,oh,ow} gY[n,k,oh,ow] · x[n, g·Cg + c,
    /// oh·sH − pH + i·dH, ow·sW − pW + j·dW] and gB[k] = Σ_{n,oh,ow} gY[n,k,oh,ow] (skipped when gradBias is null).
    /// </summary>
    void Conv2dBackwardWeight(in Conv2dGeometry g, in StridedView x, in StridedView gradY, in StridedView gradW, in StridedView? gradBias);

    /// <summary>
    /// im2col, PyTorch's <c>unfold</c>: cols[n, (c·KH + i)·KW + j, oh·OW + ow] = x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW]
    /// (0 in the padding), so cols is [N, C·KH·KW, OH·OW]. The geometry's K and Groups are not used.
    /// </summary>
    void Unfold(in Conv2dGeometry g, in StridedView x, in StridedView cols);

    /// <summary>
    /// col2im, PyTorch's <c>fold</c> and the adjoint of <see cref="Unfold"/>: x[n, c, h, w] = Σ cols[n, (c·KH + i)·KW + j,
    /// oh·OW + ow] over the entries Unfold would read from (h, w); entries in the padding are dropped. Overwrites x.
    /// </summary>
    void Fold(in Conv2dGeometry g, in StridedView cols, in StridedView x);
}
