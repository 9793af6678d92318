using System.Text;

namespace Tensorlet;

/// <summary>How one input's analytic gradient compared with central finite differences.</summary>
/// <param name="Input">Position of the input in the argument list.</param>
/// <param name="MaxAbsError">Largest |analytic − numeric| over the input's elements.</param>
/// <param name="MaxRelError">Largest |analytic − numeric| / max(|numeric|, 1) — relative for large gradients, absolute for small.</param>
/// <param name="WorstIndex">Flat index of the element with the largest error (−1 if none).</param>
/// <param name="Analytic">The analytic gradient at that element.</param>
/// <param name="Numeric">The finite-difference gradient at that element.</param>
public sealed record InputGradError(int Input, double MaxAbsError, double MaxRelError, int WorstIndex, double Analytic, double Numeric);

/// <summary>The outcome of <see cref="GradCheck.Run"/>: per input, the worst error and whether it is within tolerance.</summary>
public sealed record GradCheckResult(IReadOnlyList<InputGradError> Inputs, double Tolerance)
{
    /// <summary>True when every input's <see cref="InputGradError.MaxRelError"/> is within the tolerance.</summary>
    public bool Passed => Inputs.All(e => e.MaxRelError <= Tolerance);

    public override string ToString()
    {
        var sb = new StringBuilder(Passed ? "gradcheck passed" : "gradcheck FAILED").Append($" (tolerance {Tolerance:g3})");
        foreach (var e in Inputs)
            sb.Append($"\n  input {e.Input}: max abs error {e.MaxAbsError:g3}, max rel error {e.MaxRelError:g3}" +
                      (e.WorstIndex >= 0 ? $" at element {e.WorstIndex} (analytic {e.Analytic:g6}, numeric {e.Numeric:g6})" : ""));
        return sb.ToString();
    }
}

/// <summary>
/// Checks the backward pass of any function of tensors against central finite differences. The function's
/// output is contracted with a fixed random tensor G (loss = Σ out ⊙ G, summed in double precision on the host),
/// so every output element's gradient path is exercised, not just a sum of ones.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Runs <paramref name="function"/> on <paramref name="inputs"/> (which must be leaves with RequiresGrad set on
    /// those to check), backpropagates, and compares each gradient with (L(x + h) − L(x − h)) / 2h element by element.
    /// </summary>
    /// <param name="epsilon">Step h. float32 needs a large one: 1e-2 balances truncation (∝ h²) against rounding (∝ 1/h).</param>
    /// <param name="tolerance">Largest accepted error, relative for gradients above 1, absolute below.</param>
    /// <param name="seed">Seed of the contraction tensor G.</param>
    public static GradCheckResult Run(Func<Tensor[], Tensor> function, Tensor[] inputs,
                                      double epsilon = 1e-2, double tolerance = 2e-2, ulong seed = 1234)
    {
        foreach (var x in inputs)
            if (!x.IsLeaf) throw new ArgumentException("GradCheck: inputs must be leaf tensors (create them with FromArray/Randn).");
        float[] g;
        double[][] analytic = new double[inputs.Length][];
        using (TensorScope.Begin())
        {
            foreach (var x in inputs) x.Grad = null;
            var output = function(inputs);
            var gen = new Generator(seed);
            g = new float[output.Count];
            for (int i = 0; i < g.Length; i++) g[i] = gen.NextNormal();
            var gT = Tensor.FromArray(g, output.Shape, output.Device);
            if (output.RequiresGrad) output.Backward(gT);
            for (int i = 0; i < inputs.Length; i++)
                analytic[i] = inputs[i].Grad?.ToArray().Select(v => (double)v).ToArray() ?? new double[inputs[i].Count];
        }
        foreach (var x in inputs)
        {
            x.Grad?.Dispose();
            x.Grad = null;
        }

        var errors = new List<InputGradError>();
        for (int i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            if (!x.RequiresGrad) continue;
            var values = x.ToArray();
            double maxAbs = 0, maxRel = 0, worstA = 0, worstN = 0;
            int worst = -1;
            for (int e = 0; e < values.Length; e++)
            {
                float orig = values[e];
                float plus = (float)(orig + epsilon), minus = (float)(orig - epsilon);
                double lp = Loss(function, inputs, x, values, e, plus, g);
                double lm = Loss(function, inputs, x, values, e, minus, g);
                values[e] = orig;
                double numeric = (lp - lm) / ((double)plus - minus);
                double abs = Math.Abs(analytic[i][e] - numeric);
                double rel = abs / Math.Max(Math.Abs(numeric), 1.0);
                if (abs > maxAbs) maxAbs = abs;
                if (rel > maxRel || worst < 0)
                {
                    maxRel = Math.Max(maxRel, rel);
                    worst = e;
                    worstA = analytic[i][e];
                    worstN = numeric;
                }
            }
            RestoreValues(x, values);
            errors.Add(new InputGradError(i, maxAbs, maxRel, worst, worstA, worstN));
        }
        return new GradCheckResult(errors, tolerance);
    }

    private static double Loss(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor x, float[] values, int e, float value, float[] g)
    {
        values[e] = value;
        RestoreValues(x, values);
        using (TensorScope.Begin())
        using (GradMode.NoGrad())
        {
            var output = function(inputs).ToArray();
            double sum = 0;
            for (int k = 0; k < output.Length; k++) sum += (double)output[k] * g[k];
            return sum;
        }
    }

    private static void RestoreValues(Tensor x, float[] values)
    {
        using (GradMode.NoGrad())
        using (var src = Tensor.FromArray(values, x.Shape, x.Device))
            x.CopyFrom(src);
    }
}
