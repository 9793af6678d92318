using System.Globalization;
using System.Text.RegularExpressions;

namespace Tensorlet.Tests.Cli;

/// <summary><c>tensorlet explain conv</c>: the walk-through prints every matrix, its checks pass, and bad options are refused in one line.</summary>
public class ExplainConvCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Test]
    public void IssueExampleWithBackwardPrintsEveryStepAndPassesEveryCheck()
    {
        var (code, output) = CliProcess.Run(Limit, "explain", "conv", "--input", "1x3x5x5", "--out-channels", "2", "--kernel", "3",
                                            "--stride", "2", "--padding", "1", "--seed", "4", "--backward");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("-> y [1, 2, 3, 3]"));
        Assert.That(output, Does.Contain("1. x padded with 1 zeros on each side [1, 3, 7, 7]"));
        Assert.That(output, Does.Contain("2. im2col = F.Unfold(x) as a [27 x 9] matrix"));
        Assert.That(output, Does.Contain("3. weight matrix W.reshape(2, 27)"));
        Assert.That(output, Does.Contain("10. dx = F.Fold(dcols) (col2im) [1, 3, 5, 5]"));
        var checks = Regex.Matches(output, @"max \|difference\| [^:]+: (\S+) ok");
        Assert.That(checks, Has.Count.EqualTo(4), output);
        foreach (Match m in checks) Assert.That(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Is.LessThan(1e-5));
        Assert.That(output, Does.Not.Contain("MISMATCH"));
    }

    [Test]
    public void TheIm2colMatrixHoldsThePaddedPatches()
    {
        // 1×1×3×3 input, 2×2 kernel, stride 1, no padding: 4 rows (taps) × 4 columns (positions). The column of position
        // (oh, ow) must list x[oh+i, ow+j] for taps (i, j) in row-major order, read back from the printed input.
        var (code, output) = CliProcess.Run(Limit, "explain", "conv", "--input", "1x1x3x3", "--out-channels", "1", "--kernel", "2", "--seed", "9");
        Assert.That(code, Is.EqualTo(0), output);
        var lines = output.Split('\n');
        float[][] Block(string header, int rows)
        {
            int at = Array.FindIndex(lines, l => l.Contains(header));
            Assert.That(at, Is.GreaterThanOrEqualTo(0), header);
            // The padded input has an "[n=0, c=0]" line before its rows.
            int skip = lines[at + 1].Contains("[n=") ? 2 : 1;
            return lines.Skip(at + skip).Take(rows)
                        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
                        .ToArray();
        }
        var x = Block("1. x padded", 3);
        var cols = Block("2. im2col", 4);
        for (int oh = 0; oh < 2; oh++)
            for (int ow = 0; ow < 2; ow++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++)
                        Assert.That(cols[i * 2 + j][oh * 2 + ow], Is.EqualTo(x[oh + i][ow + j]), $"tap ({i}, {j}) at ({oh}, {ow})");
    }

    [Test]
    public void DocumentedExampleIsWhatTheCommandPrints()
    {
        // docs/cli-teaching.md pastes the output of the command named in its marker; the matrices (steps 1–5 and, from the
        // backward, 7–10) must be today's. The check lines are left out: their last digits are float32 rounding, which
        // depends on the machine's SIMD width.
        const string Marker = "<!-- explain-conv-example: tensorlet ";
        var doc = File.ReadAllLines(Path.Combine(RepoRoot(), "docs", "cli-teaching.md"));
        int at = Array.FindIndex(doc, l => l.StartsWith(Marker, StringComparison.Ordinal));
        Assert.That(at, Is.GreaterThanOrEqualTo(0), "the marker of the example");
        var args = doc[at][Marker.Length..].Replace("-->", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // The fence, the "$ tensorlet ..." line, then the output up to the closing fence.
        var documented = doc.Skip(at + 3).TakeWhile(l => l != "```").Where(l => !l.Contains("max |difference|")).ToList();
        var (code, output) = CliProcess.Run(Limit, args);
        Assert.That(code, Is.EqualTo(0), output);
        var printed = output.TrimEnd('\n').Split('\n').Where(l => !l.Contains("max |difference|")).ToList();
        Assert.That(documented, Is.EqualTo(printed));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tensorlet.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Tensorlet.sln above {AppContext.BaseDirectory}.");
    }

    [TestCase("1x3x5", "not N×C×H×W")]
    [TestCase("1x3xfivex5", "not N×C×H×W")]
    [TestCase("1x0x5x5", "C = 0")]
    [TestCase("1x3x-5x5", "H = -5")]
    public void BadInputShapeGivesOneLine(string input, string expected) =>
        ExpectError(["--input", input], expected, input);

    [Test]
    public void KernelLargerThanThePaddedInputIsRefused() =>
        ExpectError(["--input", "1x1x4x4", "--kernel", "7", "--padding", "1"], "--kernel 7 is larger than the padded input 6×6");

    [Test]
    public void NonPositiveSizesAreRefused()
    {
        ExpectError(["--out-channels", "0"], "--out-channels must be positive");
        ExpectError(["--stride", "0"], "--stride must be positive");
        ExpectError(["--padding", "-1"], "--padding must not be negative");
    }

    [Test]
    public void SizesThatWouldFloodTheTerminalAreRefusedNamingTheLimit()
    {
        ExpectError(["--input", "1x1x10x10", "--kernel", "1"], "100 columns", "limit is 64");
        ExpectError(["--input", "1x8x5x5", "--kernel", "3", "--padding", "1", "--stride", "2"], "72 rows", "limit is 64");
        ExpectError(["--input", "1x1x5x5", "--out-channels", "17"], "--out-channels 17 is over the limit of 16");
    }

    private static void ExpectError(string[] options, params string[] expected)
    {
        var (code, output) = CliProcess.Run(Limit, ["explain", "conv", .. options]);
        Assert.That(code, Is.EqualTo(1), output);
        foreach (var e in expected) Assert.That(output, Does.Contain(e));
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(output.Trim().Split('\n'), Has.Length.LessThanOrEqualTo(2), "one message (which may wrap once)");
    }
}
