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
