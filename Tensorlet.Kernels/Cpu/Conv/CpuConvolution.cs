namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Process-wide settings of the CPU convolutions. Like <see cref="Threads.Count"/>, a setting applies to the kernel
/// calls that start after it is made.
/// </summary>
public static class CpuConvolution
{
    /// <summary>The environment variable that sets <see cref="Algorithm"/>'s starting value (a member name, any case).</summary>
    public const string AlgorithmVariable = "TENSORLET_CONV_ALGORITHM";

    // −1 until set or first read, so the environment is consulted once, when a convolution first asks.
    private static volatile int _algorithm = -1;

    /// <summary>
    /// The algorithm for 3×3, stride-1 convolutions: <see cref="ConvAlgorithms.Auto"/> unless set here or named by
    /// the <c>TENSORLET_CONV_ALGORITHM</c> environment variable.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is not a <see cref="ConvAlgorithms"/> member.</exception>
    /// <exception cref="InvalidOperationException">The environment variable names no <see cref="ConvAlgorithms"/> member.</exception>
    public static ConvAlgorithms Algorithm
    {
        get
        {
            int value = _algorithm;
            if (value < 0) _algorithm = value = (int)FromEnvironment();
            return (ConvAlgorithms)value;
        }
        set
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    $"Convolution algorithm {(int)value} is not one of {Names}.");
            _algorithm = (int)value;
        }
    }

    /// <summary>
    /// FLOPs (2 per multiply-add) the CPU's kernels perform for one forward pass of <paramref name="g"/> on dense images —
    /// and, with <paramref name="backward"/>, its input and weight gradients too — under the current
    /// <see cref="Algorithm"/>. A pass run by Winograd F(2×2, 3×3) does 16 products per 2×2 outputs where the direct
    /// convolution does 36, so it counts the direct FLOPs / 2.25 (its transforms left out: a lower bound); any other
    /// pass counts the direct FLOPs. A fraction of the FMA peak is computed from these, since the direct count — the
    /// usual measure of a layer's work, and what throughputs are quoted in — runs faster than the peak by Winograd.
    /// </summary>
    public static double ExecutedFlops(in Conv2dGeometry g, bool backward)
    {
        double direct = 2.0 * g.N * g.K * g.OutH * g.OutW * g.GroupC * g.KH * g.KW;
        double Pass(bool winograd) => winograd ? direct / 2.25 : direct;
        double total = Pass(Conv.WinogradConv.Chosen(g));
        if (!backward) return total;
        // The input gradient of a stride-1 layer is the forward convolution of its transposed geometry.
        bool inputByWinograd = Conv.ConvBackwardInput.Transposed(g) is { } flipped && Conv.WinogradConv.Chosen(flipped);
        return total + Pass(inputByWinograd) + Pass(Conv.WinogradConv.ChosenForWeightGradient(g));
    }

    /// <summary>The algorithm the environment variable names, <see cref="ConvAlgorithms.Auto"/> when it is unset or empty.</summary>
    internal static ConvAlgorithms FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(AlgorithmVariable);
        if (string.IsNullOrWhiteSpace(text)) return ConvAlgorithms.Auto;
        // Names only: Enum.TryParse would also take "7", and any number is no algorithm.
        foreach (var a in Enum.GetValues<ConvAlgorithms>())
            if (string.Equals(a.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase)) return a;
        throw new InvalidOperationException($"{AlgorithmVariable}='{text}' is not one of {Names}.");
    }

    private static string Names => string.Join(", ", Enum.GetNames<ConvAlgorithms>());
}
