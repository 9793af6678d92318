using System.Globalization;
using Tensorlet.Kernels;

namespace Tensorlet.Cli.Explain;

/// <summary>
/// What <c>tensorlet explain conv</c> was asked to show, checked before anything is computed: sizes that parse and are
/// positive, a kernel that fits the padded input, and matrices small enough to read on a terminal.
/// </summary>
internal sealed record ConvRequest(Conv2dGeometry Geometry, ulong Seed, bool Backward)
{
    /// <summary>Most rows (C·kh·kw) and columns (N·OH·OW) of the im2col matrix that are printed.</summary>
    public const int MaxMatrixSide = 64;

    /// <summary>Most output channels (rows of the weight matrix) and most N·C planes of the input that are printed.</summary>
    public const int MaxChannels = 16;

    /// <summary>Largest padded input plane side that is printed.</summary>
    public const int MaxPlaneSide = 20;

    /// <summary>Im2col rows: one per (input channel, kernel row, kernel column).</summary>
    public int Rows => Geometry.C * Geometry.KH * Geometry.KW;

    /// <summary>Im2col columns: one per output position of every image.</summary>
    public int Columns => Geometry.N * Geometry.OutH * Geometry.OutW;

    /// <summary>Validates the options; every message names the option and the limit it broke.</summary>
    public static ConvRequest Parse(string input, int outChannels, int kernel, int stride, int padding, ulong seed, bool backward)
    {
        var parts = input.Split('x', 'X', '×');
        if (parts.Length != 4 || parts.Any(p => !int.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
            throw new ArgumentException($"explain conv: --input '{input}' is not N×C×H×W: give four integers separated by 'x', e.g. 1x3x5x5.");
        var sizes = parts.Select(p => int.Parse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ToArray();
        for (int i = 0; i < 4; i++)
            if (sizes[i] <= 0)
                throw new ArgumentException($"explain conv: --input '{input}' has {"NCHW"[i]} = {sizes[i]}; every size must be positive.");
        if (outChannels <= 0) throw new ArgumentException($"explain conv: --out-channels must be positive, got {outChannels}.");
        if (kernel <= 0) throw new ArgumentException($"explain conv: --kernel must be positive, got {kernel}.");
        if (stride <= 0) throw new ArgumentException($"explain conv: --stride must be positive, got {stride}.");
        if (padding < 0) throw new ArgumentException($"explain conv: --padding must not be negative, got {padding}.");
        int n = sizes[0], c = sizes[1], h = sizes[2], w = sizes[3];
        if (kernel > h + 2 * padding || kernel > w + 2 * padding)
            throw new ArgumentException(
                $"explain conv: --kernel {kernel} is larger than the padded input {h + 2 * padding}×{w + 2 * padding} ({h}×{w} with --padding {padding}).");
        var request = new ConvRequest(new Conv2dGeometry(n, c, h, w, outChannels, kernel, kernel, stride, stride, padding, padding), seed, backward);
        request.CheckFits();
        return request;
    }

    private void CheckFits()
    {
        var g = Geometry;
        const string Hint = "use a smaller --input or --kernel, or a larger --stride";
        if (Columns > MaxMatrixSide)
            throw new ArgumentException(
                $"explain conv: the im2col matrix would have {Columns} columns (N·OH·OW = {g.N}·{g.OutH}·{g.OutW}); the limit is {MaxMatrixSide} so it fits a terminal — {Hint}.");
        if (Rows > MaxMatrixSide)
            throw new ArgumentException(
                $"explain conv: the im2col matrix would have {Rows} rows (C·kh·kw = {g.C}·{g.KH}·{g.KW}); the limit is {MaxMatrixSide} so it fits a terminal — {Hint}.");
        if (g.K > MaxChannels)
            throw new ArgumentException($"explain conv: --out-channels {g.K} is over the limit of {MaxChannels} rows printed for the weight matrix.");
        if (g.N * g.C > MaxChannels)
            throw new ArgumentException($"explain conv: --input has N·C = {g.N * g.C} planes; the limit is {MaxChannels} planes printed.");
        if (g.H + 2 * g.PadH > MaxPlaneSide || g.W + 2 * g.PadW > MaxPlaneSide)
            throw new ArgumentException(
                $"explain conv: the padded input is {g.H + 2 * g.PadH}×{g.W + 2 * g.PadW}; the limit is {MaxPlaneSide}×{MaxPlaneSide} so it fits a terminal.");
    }
}
