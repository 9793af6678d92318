namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Process-wide settings of the CPU convolutions. Like <see cref="Threads.Count"/>, a setting applies to the kernel
/// calls that start after it is made.
/// </summary>
public static class CpuConvolution
{
    private static volatile ConvAlgorithms _algorithm = ConvAlgorithms.Auto;

    /// <summary>The algorithm for 3×3, stride-1 convolutions (default <see cref="ConvAlgorithms.Auto"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a <see cref="ConvAlgorithms"/> member.</exception>
    public static ConvAlgorithms Algorithm
    {
        get => _algorithm;
        set
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    $"Convolution algorithm {(int)value} is not one of {string.Join(", ", Enum.GetNames<ConvAlgorithms>())}.");
            _algorithm = value;
        }
    }
}
