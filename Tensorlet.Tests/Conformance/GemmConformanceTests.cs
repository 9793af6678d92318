using Tensorlet.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// Batched GEMM on every backend against the reference: empty, single and odd sizes that straddle tiles, β = 0 over NaN
/// (not read) and β ≠ 0, and operands in every layout the strides can say — plain and transposed with padded rows
/// (read in place), every other column (read through a dense copy), a transposed c (computed as Cᵀ = Bᵀ·Aᵀ), offsets,
/// strided and repeated (stride 0) batches, and 2-D operands shared by the batch.
/// </summary>
public class GemmConformanceTests(string device) : BackendFixture(device)
{
    private static readonly (int M, int N, int K)[] Sizes = [(0, 3, 2), (2, 0, 3), (3, 2, 0), (1, 1, 1), (5, 7, 3), (17, 9, 33)];

    /// <summary>How a matrix is laid out: rows apart (plain), columns apart (transposed), or neither unit stride.</summary>
    public enum Layout { Plain, Transposed, EveryOtherColumn }

    [Test]
    public void GemmAgrees([Values] Layout a, [Values] Layout b)
    {
        var sizes = Nightly ? Sizes.Append((40, 35, 70)) : Sizes;
        foreach (var (m, n, k) in sizes)
            foreach (var (alpha, beta) in new[] { (1f, 0f), (-0.5f, 1.5f) })
            {
                // A batch of 2: A strided from offset 3, one B for every entry (stride 0), C padded from offset 2.
                var av = new Operand(2, m, k, a, Offset: 3);
                var bv = new Operand(2, k, n, b, Repeated: true);
                var cv = new Operand(2, m, n, Layout.Plain, Offset: 2);
                Agrees(av, bv, cv, alpha, beta, $"Gemm {m}×{n}×{k} a {a} b {b} α={alpha} β={beta}");
            }
    }

    [Test]
    public void AnyOutputLayoutAgrees([Values] Layout c, [Values(0f, 1.5f)] float beta)
    {
        foreach (var (m, n, k) in new[] { (5, 7, 3), (17, 9, 33), (1, 6, 4), (6, 1, 4) })
        {
            var av = new Operand(3, m, k, Layout.Transposed, Offset: 1);
            var bv = new Operand(3, k, n, Layout.Plain);
            Agrees(av, bv, new Operand(3, m, n, c, Offset: 4), 0.75f, beta, $"Gemm {m}×{n}×{k} into a {c} c β={beta}");
        }
    }

    [Test]
    public void RepeatedMatricesInAnyLayoutAgree([Values] Layout layout)
    {
        // A repeated matrix that needs a dense copy is copied once; a 2-D operand is the same matrix for every entry.
        Agrees(new Operand(3, 6, 5, layout, Repeated: true), new Operand(3, 5, 4, Layout.Plain), new Operand(3, 6, 4, Layout.Plain),
              1f, 0f, $"Gemm with a repeated {layout} a");
        Agrees(new Operand(3, 6, 5, Layout.Plain), new Operand(0, 5, 4, layout, Offset: 2), new Operand(3, 6, 4, Layout.Plain),
              1f, 0f, $"Gemm with a 2-D {layout} b");
        Agrees(new Operand(0, 6, 5, layout), new Operand(0, 5, 4, layout), new Operand(0, 6, 4, layout, Offset: 1),
              2f, 0.5f, $"Gemm of 2-D {layout} matrices");
    }

    [Test]
    public void GemmPropagatesNaNAndInfinityFromItsOperands()
    {
        var a = Random(6, 1);
        a[0] = float.NaN;
        a[4] = float.PositiveInfinity;
        Check(Backend, "Gemm with NaN and ∞", [a, Random(6, 2), new float[4]],
              (b, x) => b.Gemm(1f, StridedView.Contiguous(x[0], 0, [2, 3]), StridedView.Contiguous(x[1], 0, [3, 2]), 0f,
                               StridedView.Contiguous(x[2], 0, [2, 2])));
    }

    private void Agrees(Operand a, Operand b, Operand c, float alpha, float beta, string what)
    {
        float[] cHost = beta == 0 ? Enumerable.Repeat(float.NaN, c.Length).ToArray() : Random(c.Length, 5);
        Check(Backend, what, [Random(a.Length, a.Rows * 31 + a.Cols), Random(b.Length, b.Cols * 17 + b.Rows), cHost],
              (bk, x) => bk.Gemm(alpha, a.View(x[0]), b.View(x[1]), beta, c.View(x[2])), rtol: 1e-5, atol: 1e-4);
    }

    /// <summary>
    /// A [batch, rows, cols] operand (2-D when <paramref name="Batch"/> is 0) in its own buffer, from an offset, each row
    /// or column padded by one element, and its batch entries apart (or all the same matrix when repeated).
    /// </summary>
    private sealed record Operand(int Batch, int Rows, int Cols, Layout Layout, int Offset = 0, bool Repeated = false)
    {
        private (int Row, int Col) Steps => Layout switch
        {
            Layout.Plain => (Cols + 1, 1),
            Layout.Transposed => (1, Rows + 1),
            _ => (2 * Cols + 1, 2),
        };

        private int Extent => Rows == 0 || Cols == 0 ? 0 : (Rows - 1) * Steps.Row + (Cols - 1) * Steps.Col + 1;

        private int BatchStride => Repeated ? 0 : Extent + 1;

        public int Length => Offset + Math.Max(0, Batch - 1) * BatchStride + Extent + 1;

        public StridedView View(DeviceBuffer buffer) => Batch == 0
            ? new(buffer, Offset, [Rows, Cols], [Steps.Row, Steps.Col])
            : new(buffer, Offset, [Batch, Rows, Cols], [BatchStride, Steps.Row, Steps.Col]);
    }
}
