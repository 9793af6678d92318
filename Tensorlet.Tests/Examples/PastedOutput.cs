using System.Globalization;
using System.Text.RegularExpressions;

namespace Tensorlet.Tests.Examples;

/// <summary>
/// The program outputs pasted into docs/learn pages (by tools/learn-docs.sh) and how they are compared with a fresh run.
/// A block is <c>&lt;!-- KIND:KEY --&gt;</c>, a <c>```text</c> fence, <c>&lt;!-- /KIND --&gt;</c>.
/// </summary>
internal static partial class PastedOutput
{
    /// <summary>Largest accepted difference between a pasted number and a fresh one: absolute plus relative part.</summary>
    public const double AbsTolerance = 1e-3, RelTolerance = 2e-2;

    /// <summary>The text inside the fence of block <paramref name="marker"/> (e.g. "output:04"), or null if the page has none.</summary>
    public static string? Block(string page, string marker)
    {
        string kind = marker.Split(':')[0];
        var m = Regex.Match(page, $@"<!-- {Regex.Escape(marker)} -->\n```text\n(.*?)\n```\n<!-- /{Regex.Escape(kind)} -->", RegexOptions.Singleline);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>
    /// Null when <paramref name="actual"/> says what <paramref name="pasted"/> says, else the first line that differs.
    /// Text must be equal (runs of spaces count as one); numbers may differ by float noise — the last digits of a sum
    /// change with the thread count and the SIMD width of the machine, and a page must not go stale because of that.
    /// </summary>
    public static string? Difference(string pasted, string actual)
    {
        var a = Lines(pasted);
        var b = Lines(actual);
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length) return $"the program prints more lines than the page shows, from line {i + 1}: \"{b[i]}\"";
            if (i >= b.Length) return $"the page shows more lines than the program prints, from line {i + 1}: \"{a[i]}\"";
            if (!SameLine(a[i], b[i])) return $"line {i + 1} differs:\n  page:    {a[i]}\n  program: {b[i]}";
        }
        return null;
    }

    private static string[] Lines(string text) =>
        text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n').Select(l => Spaces().Replace(l.Trim(), " ")).ToArray();

    private static bool SameLine(string a, string b)
    {
        var na = Number().Matches(a);
        var nb = Number().Matches(b);
        if (na.Count != nb.Count || Number().Replace(a, "#") != Number().Replace(b, "#")) return false;
        for (int i = 0; i < na.Count; i++)
        {
            double x = double.Parse(na[i].Value, CultureInfo.InvariantCulture), y = double.Parse(nb[i].Value, CultureInfo.InvariantCulture);
            if (Math.Abs(x - y) > AbsTolerance + RelTolerance * Math.Max(Math.Abs(x), Math.Abs(y))) return false;
        }
        return true;
    }

    [GeneratedRegex(@"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();
}
