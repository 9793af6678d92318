namespace Tensorlet.Tests.Core;

/// <summary>
/// A plain double-precision N-d array, the oracle for op tests. Every op here is built element by element from
/// an index function (<see cref="Build"/>), so it shares no code and no cleverness with the engine it checks:
/// no strides, no views, no kernels.
/// </summary>
public sealed class RefArray
{
    public double[] Data { get; }
    public int[] Shape { get; }

    public RefArray(int[] shape, double[] data)
    {
        if (Count(shape) != data.Length) throw new ArgumentException($"RefArray: {data.Length} values for shape [{string.Join(", ", shape)}].");
        Shape = shape;
        Data = data;
    }

    public static RefArray Of(Tensor t) => new(t.Shape, t.ToArray().Select(v => (double)v).ToArray());
    public static RefArray Of(int[] shape, params double[] data) => new(shape, data);
    public static RefArray Full(int[] shape, double value) => Build(shape, _ => value);

    public int Rank => Shape.Length;

    public static int Count(int[] shape) => shape.Aggregate(1, (n, d) => n * d);

    /// <summary>The array of <paramref name="shape"/> whose element at each index is <paramref name="at"/>(index).</summary>
    public static RefArray Build(int[] shape, Func<int[], double> at)
    {
        var data = new double[Count(shape)];
        var idx = new int[shape.Length];
        for (int flat = 0; flat < data.Length; flat++)
        {
            for (int d = shape.Length - 1, r = flat; d >= 0; d--)
            {
                idx[d] = r % shape[d];
                r /= shape[d];
            }
            data[flat] = at((int[])idx.Clone());
        }
        return new RefArray((int[])shape.Clone(), data);
    }

    /// <summary>Element at a full index; an index into a broadcast shape reads through size-1 and missing dims.</summary>
    public double this[int[] idx]
    {
        get
        {
            int flat = 0, lead = idx.Length - Rank;
            for (int d = 0; d < Rank; d++) flat = flat * Shape[d] + (Shape[d] == 1 ? 0 : idx[d + lead]);
            return Data[flat];
        }
    }

    // ---- element-wise, with NumPy broadcasting -----------------------------------------------------------

    public static int[] BroadcastShape(params int[][] shapes)
    {
        int rank = shapes.Max(s => s.Length);
        var result = Enumerable.Repeat(1, rank).ToArray();
        foreach (var s in shapes)
            for (int i = 0; i < s.Length; i++)
            {
                int d = s[i], k = i + rank - s.Length;
                if (d != 1 && result[k] != 1 && d != result[k]) throw new ArgumentException("RefArray: shapes do not broadcast.");
                if (d != 1) result[k] = d;
            }
        return result;
    }

    public static RefArray Map(Func<double[], double> f, params RefArray[] xs) =>
        Build(BroadcastShape(xs.Select(x => x.Shape).ToArray()), idx => f(xs.Select(x => x[idx]).ToArray()));

    public RefArray Map(Func<double, double> f) => Map(v => f(v[0]), this);
    public static RefArray Zip(RefArray a, RefArray b, Func<double, double, double> f) => Map(v => f(v[0], v[1]), a, b);

    public static RefArray operator +(RefArray a, RefArray b) => Zip(a, b, (x, y) => x + y);
    public static RefArray operator -(RefArray a, RefArray b) => Zip(a, b, (x, y) => x - y);
    public static RefArray operator *(RefArray a, RefArray b) => Zip(a, b, (x, y) => x * y);
    public static RefArray operator /(RefArray a, RefArray b) => Zip(a, b, (x, y) => x / y);
    public static RefArray operator -(RefArray a) => a.Map(x => -x);
    public static RefArray operator +(RefArray a, double c) => a.Map(x => x + c);
    public static RefArray operator *(RefArray a, double c) => a.Map(x => x * c);

    public static RefArray Where(RefArray cond, RefArray a, RefArray b) => Map(v => v[0] != 0 ? v[1] : v[2], cond, a, b);
    public RefArray Expand(int[] shape) => Map(v => v[0], this, Full(shape, 0));

    // ---- along one dimension: reductions and row-wise functions ------------------------------------------

    /// <summary>Applies <paramref name="f"/> to each line of values along <paramref name="dim"/>, giving one value per line.</summary>
    public RefArray Reduce(int dim, bool keepDim, Func<double[], double> f)
    {
        int d = Wrap(dim);
        var keep = (int[])Shape.Clone();
        keep[d] = 1;
        var r = Build(keep, idx => f(Line(idx, d)));
        return keepDim ? r : r.Reshape(Shape.Where((_, i) => i != d).ToArray());
    }

    /// <summary>Replaces each line along <paramref name="dim"/> with <paramref name="f"/> of it (softmax and friends).</summary>
    public RefArray AlongDim(int dim, Func<double[], double[]> f)
    {
        int d = Wrap(dim);
        return Build(Shape, idx => f(Line(idx, d))[idx[d]]);
    }

    private double[] Line(int[] idx, int d)
    {
        var at = (int[])idx.Clone();
        var line = new double[Shape[d]];
        for (int k = 0; k < line.Length; k++)
        {
            at[d] = k;
            line[k] = this[at];
        }
        return line;
    }

    public RefArray Sum(int dim, bool keepDim = false) => Reduce(dim, keepDim, v => v.Sum());
    public RefArray Mean(int dim, bool keepDim = false) => Reduce(dim, keepDim, v => v.Average());
    public RefArray Max(int dim, bool keepDim = false) => Reduce(dim, keepDim, v => v.Max());
    public RefArray Min(int dim, bool keepDim = false) => Reduce(dim, keepDim, v => v.Min());
    public RefArray ArgMax(int dim, bool keepDim = false) => Reduce(dim, keepDim, v => Array.IndexOf(v, v.Max()));
    public RefArray ArgMin(int dim, bool keepDim = false) => Reduce(dim, keepDim, v => Array.IndexOf(v, v.Min()));

    /// <summary>Reduces over several dims, the highest first so the lower indices stay valid.</summary>
    public RefArray Sum(int[] dims, bool keepDim = false) =>
        dims.Select(Wrap).OrderDescending().Aggregate(this, (a, d) => a.Sum(d, keepDim));

    public RefArray Sum() => Reshape([Data.Length]).Sum(0);
    public RefArray Mean() => Reshape([Data.Length]).Mean(0);
    public RefArray Max() => Reshape([Data.Length]).Max(0);
    public RefArray Min() => Reshape([Data.Length]).Min(0);

    public RefArray Softmax(int dim) => AlongDim(dim, v =>
    {
        double m = v.Max(), s = v.Sum(x => Math.Exp(x - m));
        return v.Select(x => Math.Exp(x - m) / s).ToArray();
    });

    public RefArray LogSoftmax(int dim) => AlongDim(dim, v =>
    {
        double m = v.Max(), lse = m + Math.Log(v.Sum(x => Math.Exp(x - m)));
        return v.Select(x => x - lse).ToArray();
    });

    // ---- movement ---------------------------------------------------------------------------------------

    public RefArray Reshape(int[] shape) => new((int[])shape.Clone(), (double[])Data.Clone());

    public RefArray Permute(params int[] dims) =>
        Build(dims.Select(d => Shape[d]).ToArray(), idx =>
        {
            var src = new int[Rank];
            for (int i = 0; i < Rank; i++) src[dims[i]] = idx[i];
            return this[src];
        });

    public RefArray Transpose(int a, int b)
    {
        var p = Enumerable.Range(0, Rank).ToArray();
        (p[Wrap(a)], p[Wrap(b)]) = (p[Wrap(b)], p[Wrap(a)]);
        return Permute(p);
    }

    /// <summary>Elements start, start + step, ... before end along <paramref name="dim"/> (bounds already in range).</summary>
    public RefArray Slice(int dim, int start, int end, int step = 1)
    {
        int d = Wrap(dim);
        var shape = (int[])Shape.Clone();
        shape[d] = (end - start + step - 1) / step;
        return Build(shape, idx =>
        {
            idx[d] = start + idx[d] * step;
            return this[idx];
        });
    }

    public static RefArray Cat(RefArray[] parts, int dim)
    {
        int d = parts[0].Wrap(dim);
        var shape = (int[])parts[0].Shape.Clone();
        shape[d] = parts.Sum(p => p.Shape[d]);
        return Build(shape, idx =>
        {
            int part = 0;
            while (idx[d] >= parts[part].Shape[d]) idx[d] -= parts[part++].Shape[d];
            return parts[part][idx];
        });
    }

    public static RefArray Stack(RefArray[] parts, int dim) =>
        Build([.. parts[0].Shape[..dim], parts.Length, .. parts[0].Shape[dim..]],
              idx => parts[idx[dim]][[.. idx[..dim], .. idx[(dim + 1)..]]]);

    /// <summary>Pads like torch.nn.functional.pad: (before, after) pairs from the last dim backwards.</summary>
    public RefArray Pad(int[] pads, double value)
    {
        var shape = (int[])Shape.Clone();
        for (int i = 0; i < pads.Length / 2; i++) shape[Rank - 1 - i] += pads[2 * i] + pads[2 * i + 1];
        return Build(shape, idx =>
        {
            for (int i = 0; i < pads.Length / 2; i++)
            {
                int d = Rank - 1 - i;
                idx[d] -= pads[2 * i];
                if (idx[d] < 0 || idx[d] >= Shape[d]) return value;
            }
            return this[idx];
        });
    }

    public RefArray Gather(int dim, RefArray index)
    {
        int d = Wrap(dim);
        return Build(index.Shape, idx =>
        {
            var src = (int[])idx.Clone();
            src[d] = (int)index[idx];
            return this[src];
        });
    }

    // ---- matrix product ---------------------------------------------------------------------------------

    /// <summary>torch.matmul: 1-D operands are promoted to a row (left) or column (right) and the extra dim dropped; batch dims broadcast.</summary>
    public static RefArray MatMul(RefArray a, RefArray b)
    {
        var a2 = a.Rank == 1 ? a.Reshape([1, a.Shape[0]]) : a;
        var b2 = b.Rank == 1 ? b.Reshape([b.Shape[0], 1]) : b;
        int m = a2.Shape[^2], k = a2.Shape[^1], n = b2.Shape[^1];
        var batch = BroadcastShape(a2.Shape[..^2], b2.Shape[..^2]);
        var c = Build([.. batch, m, n], idx =>
        {
            double s = 0;
            var ai = (int[])idx.Clone();
            var bi = (int[])idx.Clone();
            for (int p = 0; p < k; p++)
            {
                (ai[^1], bi[^2]) = (p, p);
                s += a2[ai] * b2[bi];
            }
            return s;
        });
        var shape = c.Shape.ToList();
        if (b.Rank == 1) shape.RemoveAt(shape.Count - 1);
        if (a.Rank == 1) shape.RemoveAt(shape.Count - (b.Rank == 1 ? 1 : 2));
        return c.Reshape(shape.ToArray());
    }

    private int Wrap(int dim) => dim < 0 ? dim + Rank : dim;
}
