namespace Tensorlet.Kernels;

// The checks of convolution, pooling and batch norm: the geometry, then every view against the shape the call's sizes
// give and against its buffer. Each takes the backend whose buffers the views must be, or null for shapes alone: the
// meta device has no memory to check the views against, but still refuses a call whose shapes disagree, with the same
// message.
public static partial class OperationChecks
{
    /// <summary>A view of <paramref name="backend"/>'s memory that lies inside its buffer; with no backend, only a view with a shape.</summary>
    private static void InBounds(IBackend? backend, string op, string arg, in StridedView view)
    {
        if (backend != null) ArgumentChecks.View(backend, op, arg, view);
        else if (view.Shape is null) throw new ArgumentException($"{op}: '{arg}' is a default view with no shape.", arg);
    }

    // ---- convolution ----------------------------------------------------------------------------------

    public static void Conv2d(IBackend? backend, in Conv2dGeometry g, in StridedView x, in StridedView weight, in StridedView? bias,
                              in StridedView y)
    {
        const string op = "Conv2d";
        g.Validate();
        Shaped(backend, op, nameof(x), x, g.InputShape());
        Shaped(backend, op, nameof(weight), weight, g.WeightShape());
        if (bias is { } b) Shaped(backend, op, nameof(bias), b, [g.K]);
        Shaped(backend, op, nameof(y), y, g.OutputShape());
    }

    public static void Conv2dBackwardInput(IBackend? backend, in Conv2dGeometry g, in StridedView gradY, in StridedView weight,
                                           in StridedView gradX)
    {
        const string op = "Conv2dBackwardInput";
        g.Validate();
        Shaped(backend, op, nameof(gradY), gradY, g.OutputShape());
        Shaped(backend, op, nameof(weight), weight, g.WeightShape());
        Shaped(backend, op, nameof(gradX), gradX, g.InputShape());
    }

    public static void Conv2dBackwardWeight(IBackend? backend, in Conv2dGeometry g, in StridedView x, in StridedView gradY,
                                            in StridedView gradW, in StridedView? gradBias)
    {
        const string op = "Conv2dBackwardWeight";
        g.Validate();
        Shaped(backend, op, nameof(x), x, g.InputShape());
        Shaped(backend, op, nameof(gradY), gradY, g.OutputShape());
        Shaped(backend, op, nameof(gradW), gradW, g.WeightShape());
        if (gradBias is { } gb) Shaped(backend, op, nameof(gradBias), gb, [g.K]);
    }

    /// <summary>Unfold and Fold: x is [N, C, H, W], cols [N, C·KH·KW, OH·OW].</summary>
    public static void Unfold(IBackend? backend, string op, in Conv2dGeometry g, in StridedView x, in StridedView cols)
    {
        g.Validate();
        Shaped(backend, op, nameof(x), x, g.InputShape());
        Shaped(backend, op, nameof(cols), cols, g.ColumnsShape());
    }

    /// <summary>A view in bounds of its buffer whose shape is the one the call's sizes give.</summary>
    private static void Shaped(IBackend? backend, string op, string arg, in StridedView view, int[] shape)
    {
        InBounds(backend, op, arg, view);
        if (view.Shape.AsSpan().SequenceEqual(shape)) return;
        throw new ArgumentException(
            $"{op}: '{arg}' has shape {ArgumentChecks.Show(view.Shape)} but the call's sizes need {ArgumentChecks.Show(shape)}.", arg);
    }

    // ---- pooling --------------------------------------------------------------------------------------

    /// <summary>Returns the number of outputs (N·C·OH·OW).</summary>
    public static long MaxPool2d(IBackend? backend, in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices) =>
        Pool(backend, "MaxPool2d", g, (nameof(x), x, true), (nameof(y), y, false), (nameof(indices), indices, false)).Output;

    /// <summary>Returns the number of inputs (N·C·H·W).</summary>
    public static long MaxPool2dBackward(IBackend? backend, in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX) =>
        Pool(backend, "MaxPool2dBackward", g, (nameof(gradY), gradY, false), (nameof(indices), indices, false), (nameof(gradX), gradX, true)).Input;

    /// <summary>Returns the number of outputs (N·C·OH·OW).</summary>
    public static long AvgPool2d(IBackend? backend, in Pool2dGeometry g, in StridedView x, in StridedView y) =>
        Pool(backend, "AvgPool2d", g, (nameof(x), x, true), (nameof(y), y, false)).Output;

    /// <summary>Returns the number of inputs (N·C·H·W).</summary>
    public static long AvgPool2dBackward(IBackend? backend, in Pool2dGeometry g, in StridedView gradY, in StridedView gradX) =>
        Pool(backend, "AvgPool2dBackward", g, (nameof(gradY), gradY, false), (nameof(gradX), gradX, true)).Input;

    public static AdaptivePoolSizes AdaptiveAvgPool2d(IBackend? backend, in StridedView x, in StridedView y) =>
        AdaptivePool(backend, "AdaptiveAvgPool2d", (nameof(x), x), (nameof(y), y));

    public static AdaptivePoolSizes AdaptiveAvgPool2dBackward(IBackend? backend, in StridedView gradY, in StridedView gradX) =>
        AdaptivePool(backend, "AdaptiveAvgPool2dBackward", (nameof(gradX), gradX), (nameof(gradY), gradY));

    /// <summary>
    /// Validates the geometry and each (name, view, is-input) operand: inputs [N, C, H, W], outputs [N, C, OH, OW].
    /// Returns the input and output element counts.
    /// </summary>
    private static (long Input, long Output) Pool(IBackend? backend, string op, in Pool2dGeometry g,
                                                  params (string Name, StridedView View, bool IsInput)[] operands)
    {
        g.Validate();
        foreach (var (name, view, isInput) in operands)
            Shaped(backend, op, name, view, isInput ? g.InputShape() : g.OutputShape());
        long planes = (long)g.N * g.C;
        return (planes * g.H * g.W, planes * g.OutH * g.OutW);
    }

    /// <summary>
    /// Adaptive pooling: <paramref name="input"/> [N, C, H, W] and <paramref name="output"/> [N, C, OH, OW], both planes
    /// non-empty. Returns the sizes.
    /// </summary>
    private static AdaptivePoolSizes AdaptivePool(IBackend? backend, string op, (string Name, StridedView View) input,
                                                  (string Name, StridedView View) output)
    {
        InBounds(backend, op, input.Name, input.View);
        InBounds(backend, op, output.Name, output.View);
        int[] a = input.View.Shape, b = output.View.Shape;
        if (a.Length != 4 || b.Length != 4 || a[0] != b[0] || a[1] != b[1])
            throw new ArgumentException(
                $"{op}: '{input.Name}' {ArgumentChecks.Show(a)} and '{output.Name}' {ArgumentChecks.Show(b)} must be [N, C, H, W] and " +
                "[N, C, OH, OW] with the same N and C.", output.Name);
        if (a[2] == 0 || a[3] == 0 || b[2] == 0 || b[3] == 0)
            throw new ArgumentException($"{op}: input {a[2]}×{a[3]} and output {b[2]}×{b[3]} must be non-empty.", input.Name);
        return new AdaptivePoolSizes(a[0], a[1], a[2], a[3], b[2], b[3]);
    }

    // ---- normalisation --------------------------------------------------------------------------------

    /// <summary>Returns N·C·HW.</summary>
    public static long BatchNormForward(IBackend? backend, BatchNormArgs args, in StridedView y)
    {
        const string op = "BatchNormForward";
        long count = BatchNormCommon(backend, op, args);
        Shaped(backend, op, nameof(y), y, args.X.Shape);
        var rm = Channels(backend, op, "runningMean", args.RunningMean, args.C);
        var rv = Channels(backend, op, "runningVar", args.RunningVar, args.C);
        if (!args.UseBatchStats && (rm == null || rv == null))
            throw new ArgumentException($"{op}: normalising with running statistics needs both runningMean and runningVar.");
        Channels(backend, op, "beta", args.Beta, args.C);
        return count;
    }

    /// <summary>Returns N·C·HW.</summary>
    public static long BatchNormBackward(IBackend? backend, BatchNormArgs args, in StridedView gradY, BatchNormGrads grads)
    {
        const string op = "BatchNormBackward";
        ArgumentNullException.ThrowIfNull(grads);
        long count = BatchNormCommon(backend, op, args);
        Shaped(backend, op, nameof(gradY), gradY, args.X.Shape);
        if (grads.GradX is { } gx) Shaped(backend, op, "gradX", gx, args.X.Shape);
        Channels(backend, op, "gradGamma", grads.GradGamma, args.C);
        Channels(backend, op, "gradBeta", grads.GradBeta, args.C);
        return count;
    }

    /// <summary>The checks forward and backward share: x ([N, C, ...]), γ and the saved statistics. Returns N·C·HW.</summary>
    private static long BatchNormCommon(IBackend? backend, string op, BatchNormArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        InBounds(backend, op, "x", args.X);
        if (args.X.Rank < 2)
            throw new ArgumentException($"{op}: 'x' has shape {ArgumentChecks.Show(args.X.Shape)}; batch norm needs [N, C, ...].", "x");
        int c = args.C;
        Channels(backend, op, "gamma", args.Gamma, c);
        Channels(backend, op, "saveMean", args.SaveMean, c);
        Channels(backend, op, "saveInvStd", args.SaveInvStd, c);
        return args.X.Count;
    }

    /// <summary>A per-channel vector: null stays null, otherwise a [C] view in bounds.</summary>
    private static StridedView? Channels(IBackend? backend, string op, string arg, StridedView? view, int c)
    {
        if (view is { } v) Shaped(backend, op, arg, v, [c]);
        return view;
    }
}
