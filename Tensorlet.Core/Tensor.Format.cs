using System.Globalization;
using System.Text;

namespace Tensorlet;

public sealed partial class Tensor
{
    /// <summary>Tensors with more elements than this print only their first and last <see cref="EdgeItems"/> per dimension.</summary>
    public const int PrintThreshold = 1000;

    /// <summary>Items printed at each end of a summarised dimension.</summary>
    public const int EdgeItems = 3;

    /// <summary>Rows of numbers wrap, and suffixes move to a new line, past this many characters.</summary>
    public const int LineWidth = 80;

    private const int Indent = 7; // "tensor(".Length

    /// <summary>
    /// Prints like PyTorch (torch/_tensor_str.py): nested brackets aligned under "tensor(", one column width, 4
    /// decimals ("1." when all values are whole, scientific notation when they span more than 10³), rows wrapped
    /// at <see cref="LineWidth"/>, " ..." for the middle of large dimensions, then device / grad_fn / requires_grad.
    /// </summary>
    public override string ToString()
    {
        if (_disposed) return $"tensor(<disposed>, size={SizeText()})";
        var values = ToArray();
        string body = "[]";
        if (values.Length > 0)
        {
            bool summarize = values.Length > PrintThreshold;
            var shown = new List<float>();
            CollectShown(values, 0, 0, summarize, shown);
            var fmt = new ValueFormat(shown); // as PyTorch: only the printed values choose the format
            body = Rank == 0 ? fmt.Format(values[0]) : AppendDim(values, 0, 0, Indent, summarize, fmt);
        }
        var suffixes = new List<string>();
        if (values.Length == 0 && Rank != 1) suffixes.Add("size=" + SizeText());
        if (!Device.Equals(Device.Cpu)) suffixes.Add($"device='{Device.Name}'");
        if (GradFn != null) suffixes.Add($"grad_fn=<{GradFn.Name}0>");
        else if (RequiresGrad) suffixes.Add("requires_grad=True");
        return AddSuffixes("tensor(" + body, suffixes);
    }

    private string SizeText() => "(" + string.Join(", ", _shape) + (Rank == 1 ? ",)" : ")");

    /// <summary>Indices printed along <paramref name="dim"/>; −1 marks the elided middle.</summary>
    private IEnumerable<int> ShownIndices(int dim, bool summarize)
    {
        int size = _shape[dim];
        bool cut = summarize && size > 2 * EdgeItems;
        for (int i = 0; i < size; i++)
        {
            if (cut && i == EdgeItems)
            {
                yield return -1;
                i = size - EdgeItems;
            }
            yield return i;
        }
    }

    private int StrideOf(int dim)
    {
        int stride = 1;
        for (int k = dim + 1; k < Rank; k++) stride *= _shape[k];
        return stride;
    }

    private void CollectShown(float[] values, int dim, int baseIndex, bool summarize, List<float> into)
    {
        if (dim == Rank)
        {
            into.Add(values[baseIndex]);
            return;
        }
        foreach (int i in ShownIndices(dim, summarize))
            if (i >= 0) CollectShown(values, dim + 1, baseIndex + i * StrideOf(dim), summarize, into);
    }

    private string AppendDim(float[] values, int dim, int baseIndex, int indent, bool summarize, ValueFormat fmt)
    {
        int stride = StrideOf(dim);
        if (dim == Rank - 1)
        {
            var items = ShownIndices(dim, summarize).Select(i => i < 0 ? " ..." : fmt.Format(values[baseIndex + i])).ToList();
            int perLine = Math.Max(1, (LineWidth - indent) / (fmt.Width + 2));
            var lines = items.Chunk(perLine).Select(line => string.Join(", ", line));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }
        var slices = ShownIndices(dim, summarize)
            .Select(i => i < 0 ? "..." : AppendDim(values, dim + 1, baseIndex + i * stride, indent + 1, summarize, fmt));
        return "[" + string.Join("," + new string('\n', Rank - 1 - dim) + new string(' ', indent + 1), slices) + "]";
    }

    private static string AddSuffixes(string text, List<string> suffixes)
    {
        var sb = new StringBuilder(text);
        int lastLine = text.Length - text.LastIndexOf('\n') + 1; // PyTorch's count, quirks included
        foreach (var suffix in suffixes)
        {
            if (lastLine + suffix.Length + 2 > LineWidth)
            {
                sb.Append(",\n").Append(' ', Indent).Append(suffix);
                lastLine = Indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLine += suffix.Length + 2;
            }
        }
        return sb.Append(')').ToString();
    }

    /// <summary>PyTorch's _Formatter: the mode and column width come from the nonzero finite values only.</summary>
    private sealed class ValueFormat
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
        private readonly bool _int = true, _sci;

        public int Width { get; } = 1;

        public ValueFormat(IEnumerable<float> values)
        {
            var nonzero = values.Where(v => float.IsFinite(v) && v != 0).Select(v => (double)v).ToList();
            if (nonzero.Count == 0) return;
            double min = nonzero.Min(Math.Abs), max = nonzero.Max(Math.Abs);
            _int = nonzero.All(v => v == Math.Ceiling(v));
            _sci = max / min > 1000 || max > 1e8 || (!_int && min < 1e-4);
            Width = nonzero.Max(v => Raw(v).Length);
        }

        private string Raw(double v) =>
            !double.IsFinite(v) ? (double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf")
            : _sci ? v.ToString("0.0000e+00", Inv)
            : _int ? v.ToString("0", Inv) + "."
            : v.ToString("0.0000", Inv);

        public string Format(float v) => Raw(v).PadLeft(Width);
    }
}
