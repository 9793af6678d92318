using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The row kernels <see cref="StridedLoop"/> drives. Each picks, per row, a dense vector loop when the row's
/// strides allow it (all 1, or a stride-0 operand that is splatted) and a plain strided loop otherwise.
/// Operand order: sources first, destination last.
/// </summary>
internal static class ElementwiseRows
{
    private static ref float At(float[] array, int offset) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset);

    public readonly struct Fill(float[] dst, float value) : IRowKernel
    {
        public void Run(in Row r)
        {
            if (r.S0 == 1) MemoryMarshal.CreateSpan(ref At(dst, r.O0), r.N).Fill(value);
            else for (int i = 0; i < r.N; i++) At(dst, r.O0 + i * r.S0) = value;
        }
    }

    public readonly struct Copy(float[] src, float[] dst) : IRowKernel
    {
        public void Run(in Row r)
        {
            if (r.S0 == 1 && r.S1 == 1)
                MemoryMarshal.CreateSpan(ref At(src, r.O0), r.N).CopyTo(MemoryMarshal.CreateSpan(ref At(dst, r.O1), r.N));
            else if (r.S0 == 0 && r.S1 == 1)
                MemoryMarshal.CreateSpan(ref At(dst, r.O1), r.N).Fill(src[r.O0]);
            else
                for (int i = 0; i < r.N; i++) At(dst, r.O1 + i * r.S1) = At(src, r.O0 + i * r.S0);
        }
    }

    public readonly struct Unary<TOp>(float[] src, float[] dst, float alpha, float beta, bool stream) : IRowKernel
        where TOp : struct, IUnaryOp<TOp>
    {
        public void Run(in Row r)
        {
            ref float x = ref At(src, r.O0);
            ref float d = ref At(dst, r.O1);
            if (r.S0 == 1 && r.S1 == 1)
            {
                DenseLoops.Unary<TOp>(ref x, ref d, r.N, alpha, beta, stream);
                return;
            }
            if (r.S0 == 0 && r.S1 == 1)
            {
                MemoryMarshal.CreateSpan(ref d, r.N).Fill(TOp.Apply(x, alpha, beta));
                return;
            }
            for (int i = 0; i < r.N; i++) Unsafe.Add(ref d, i * r.S1) = TOp.Apply(Unsafe.Add(ref x, i * r.S0), alpha, beta);
        }
    }

    public readonly struct Binary<TOp>(float[] a, float[] b, float[] dst, float alpha, float beta, bool stream) : IRowKernel
        where TOp : struct, IBinaryOp<TOp>
    {
        public void Run(in Row r)
        {
            ref float pa = ref At(a, r.O0);
            ref float pb = ref At(b, r.O1);
            ref float d = ref At(dst, r.O2);
            if (r.S2 == 1)
            {
                if (r.S0 == 1 && r.S1 == 1)
                {
                    DenseLoops.Binary<TOp, DenseLoops.Dense, DenseLoops.Dense>(ref pa, ref pb, ref d, r.N, alpha, beta, stream);
                    return;
                }
                if (r.S0 == 1 && r.S1 == 0)
                {
                    DenseLoops.Binary<TOp, DenseLoops.Dense, DenseLoops.Splat>(ref pa, ref pb, ref d, r.N, alpha, beta, stream);
                    return;
                }
                if (r.S0 == 0 && r.S1 == 1)
                {
                    DenseLoops.Binary<TOp, DenseLoops.Splat, DenseLoops.Dense>(ref pa, ref pb, ref d, r.N, alpha, beta, stream);
                    return;
                }
            }
            for (int i = 0; i < r.N; i++)
                Unsafe.Add(ref d, i * r.S2) = TOp.Apply(Unsafe.Add(ref pa, i * r.S0), Unsafe.Add(ref pb, i * r.S1), alpha, beta);
        }
    }

    public readonly struct Where(float[] cond, float[] a, float[] b, float[] dst) : IRowKernel
    {
        public void Run(in Row r)
        {
            ref float pc = ref At(cond, r.O0);
            ref float pa = ref At(a, r.O1);
            ref float pb = ref At(b, r.O2);
            ref float d = ref At(dst, r.O3);
            if (r.S0 == 1 && r.S1 == 1 && r.S2 == 1 && r.S3 == 1)
            {
                DenseLoops.Where(ref pc, ref pa, ref pb, ref d, r.N);
                return;
            }
            for (int i = 0; i < r.N; i++)
                Unsafe.Add(ref d, i * r.S3) = Unsafe.Add(ref pc, i * r.S0) != 0f ? Unsafe.Add(ref pa, i * r.S1) : Unsafe.Add(ref pb, i * r.S2);
        }
    }
}
