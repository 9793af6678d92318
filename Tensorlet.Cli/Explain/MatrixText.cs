using System.Globalization;
using System.Text;

namespace Tensorlet.Cli.Explain;

/// <summary>Fixed-width text of small matrices and NCHW planes, so every number a teaching command prints lines up.</summary>
internal static class MatrixText
{
    /// <summary>A [rows, columns] row-major block of <paramref name="data"/>, each value right-aligned in 6 characters.</summary>
    public static string Matrix(ReadOnlySpan<float> data, int rows, int columns, string indent = "  ")
    {
        var sb = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            sb.Append(indent);
            for (int c = 0; c < columns; c++) sb.Append(Cell(data[r * columns + c]));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Every [H, W] plane of an NCHW array, each headed by its (n, c) index.</summary>
    public static string Planes(float[] data, int n, int c, int h, int w, string planeName = "c")
    {
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  [n={i}, {planeName}={j}]\n");
                sb.Append(Matrix(data.AsSpan((i * c + j) * h * w, h * w), h, w, "    "));
            }
        return sb.ToString();
    }

    // Negative zero prints as 0.00: a learner should not wonder where a sign came from.
    private static string Cell(float v) => (v == 0 ? 0f : v).ToString("F2", CultureInfo.InvariantCulture).PadLeft(7);
}
