namespace Tensorlet;

/// <summary>Shape arithmetic shared by all ops: element counts, broadcasting, dimension wrapping, formatting.</summary>
public static class Shape
{
    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public static int Count(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Negative dimension in shape {Format(shape)}.");
            n *= d;
            if (n > int.MaxValue) throw new ArgumentException($"Shape {Format(shape)} has more than {int.MaxValue} elements.");
        }
        return (int)n;
    }

    /// <summary>"[2, 3, 4]".</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString();
        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>NumPy broadcasting: align on the right; each pair of dims must be equal or one of them 1.</summary>
    public static int[] Broadcast(int[] a, int[] b, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Maps a possibly negative dimension index into [0, rank).</summary>
    public static int WrapDim(int dim, int rank, string op)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new ArgumentOutOfRangeException(nameof(dim), dim,
                $"{op}: dimension {dim} is out of range for a tensor of rank {rank} (expected [{-r}, {r - 1}]).");
        return dim < 0 ? dim + r : dim;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
