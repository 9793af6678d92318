using System.Globalization;
using System.Text;

namespace Tensorlet;

public sealed partial class Tensor
{
    /// <summary>Tensors with more elements than this print only their first and last <see cref="EdgeItems"/> per dimension.</summary>
    public const int PrintThreshold = 1000;

    /// <summary>Items printed at each end of a summarised dimension.</summary>
    public const int EdgeItems = 3;

    /// <summary>
    /// Prints like PyTorch: nested brackets aligned under "tensor(", 4 decimals (or scientific notation when the
    /// magnitudes call for it, or "1." for whole numbers), "..." for the middle of large dimensions, then
    /// requires_grad / grad_fn / device. A summarised tensor also shows its size.
    /// </summary>
    public override string ToString()
    {
        if (_disposed) return $"tensor(<disposed>, size={SizeText()})";
        var values = ToArray();
        bool summarize = values.Length > PrintThreshold;
        var fmt = ChooseFormat(values);
        int width = 0;
        foreach (var v in values) width = Math.Max(width, fmt(v).Length);
        var sb = new StringBuilder("tensor(");
        if (Rank == 0) sb.Append(fmt(values[0]));
        else if (values.Length == 0) sb.Append("[]");
        else AppendDim(sb, values, 0, 0, width, fmt, summarize, indent: 7);
        if (summarize || values.Length == 0) sb.Append(", size=").Append(SizeText());
        if (!Device.Equals(Device.Cpu)) sb.Append(", device='").Append(Device.Name).Append('\'');
        if (GradFn != null) sb.Append(", grad_fn=<").Append(GradFn.Name).Append("0>");
        else if (RequiresGrad) sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private string SizeText() => "(" + string.Join(", ", _shape) + (Rank == 1 ? ",)" : ")");

    private void AppendDim(StringBuilder sb, float[] values, int dim, int baseIndex, int width, Func<float, string> fmt, bool summarize, int indent)
    {
        int size = _shape[dim];
        int stride = 1;
        for (int k = dim + 1; k < Rank; k++) stride *= _shape[k];
        sb.Append('[');
        bool cut = summarize && size > 2 * EdgeItems;
        for (int i = 0; i < size; i++)
        {
            if (cut && i == EdgeItems)
            {
                sb.Append(dim == Rank - 1 ? "..., " : "...,\n" + new string(' ', indent + dim + 1));
                i = size - EdgeItems;
            }
            if (dim == Rank - 1) sb.Append(fmt(values[baseIndex + i]).PadLeft(width));
            else AppendDim(sb, values, dim + 1, baseIndex + i * stride, width, fmt, summarize, indent);
            if (i < size - 1)
            {
                if (dim == Rank - 1) sb.Append(", ");
                else sb.Append(',').Append('\n', Rank - 1 - dim).Append(' ', indent + dim + 1);
            }
        }
        sb.Append(']');
    }

    private static Func<float, string> ChooseFormat(float[] values)
    {
        var inv = CultureInfo.InvariantCulture;
        bool allInt = true;
        double maxAbs = 0, minAbs = double.MaxValue;
        foreach (var v in values)
        {
            if (!float.IsFinite(v)) continue;
            if (v != MathF.Round(v)) allInt = false;
            double a = Math.Abs(v);
            maxAbs = Math.Max(maxAbs, a);
            if (a > 0) minAbs = Math.Min(minAbs, a);
        }
        static string Special(float v) => float.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        if (allInt && maxAbs < 1e8)
            return v => float.IsFinite(v) ? ((double)v).ToString("0", inv) + "." : Special(v);
        bool sci = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs != double.MaxValue) || (maxAbs / Math.Max(minAbs, 1e-30) > 1e3 && maxAbs > 1e3);
        return sci
            ? v => float.IsFinite(v) ? ((double)v).ToString("0.0000e+00", inv) : Special(v)
            : v => float.IsFinite(v) ? ((double)v).ToString("0.0000", inv) : Special(v);
    }
}
