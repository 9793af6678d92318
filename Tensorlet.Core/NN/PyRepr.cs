using System.Globalization;

namespace Tensorlet.NN;

/// <summary>Values written the way PyTorch's module reprs print them, so <c>Describe()</c> lines read like <c>print(model)</c>.</summary>
internal static class PyRepr
{
    /// <summary>1e-05, 0.1, 0.5: Python's float repr for the values layers are built with.</summary>
    public static string Float(float v) => v.ToString(CultureInfo.InvariantCulture).Replace("E", "e");

    public static string Bool(bool v) => v ? "True" : "False";

    /// <summary>A size PyTorch was given as one int prints as that int, a pair as a tuple.</summary>
    public static string Size((int H, int W) size, bool givenAsPair) => givenAsPair ? $"({size.H}, {size.W})" : size.H.ToString(CultureInfo.InvariantCulture);
}
