namespace Tensorlet.Tests.Optim;

/// <summary>
/// PyTorch's documented update rules (torch.optim.SGD / Adam / AdamW, single-tensor path) as plain double loops,
/// written from the documentation and independent of the engine. A null gradient skips the parameter, as PyTorch does.
/// </summary>
internal static class ReferenceOptimizers
{
    public sealed record SgdSettings(double Lr, double Momentum = 0, double Dampening = 0, double WeightDecay = 0, bool Nesterov = false);

    public sealed record AdamSettings(double Lr, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8,
                                      double WeightDecay = 0, bool AmsGrad = false, bool Decoupled = false);

    /// <summary>Runs the steps; grads[step][param] (null: no gradient). Returns the parameters after each step.</summary>
    public static double[][][] Sgd(double[][] initial, double[]?[][] grads, SgdSettings s)
    {
        var p = initial.Select(a => (double[])a.Clone()).ToArray();
        var buf = new double[]?[p.Length];
        var history = new List<double[][]>();
        foreach (var stepGrads in grads)
        {
            for (int i = 0; i < p.Length; i++)
            {
                if (stepGrads[i] is not { } grad) continue;
                var d = new double[p[i].Length];
                for (int k = 0; k < d.Length; k++) d[k] = grad[k] + s.WeightDecay * p[i][k];
                if (s.Momentum != 0)
                {
                    if (buf[i] == null) buf[i] = (double[])d.Clone();
                    else for (int k = 0; k < d.Length; k++) buf[i]![k] = s.Momentum * buf[i]![k] + (1 - s.Dampening) * d[k];
                    for (int k = 0; k < d.Length; k++) d[k] = s.Nesterov ? d[k] + s.Momentum * buf[i]![k] : buf[i]![k];
                }
                for (int k = 0; k < d.Length; k++) p[i][k] -= s.Lr * d[k];
            }
            history.Add(p.Select(a => (double[])a.Clone()).ToArray());
        }
        return history.ToArray();
    }

    public static double[][][] Adam(double[][] initial, double[]?[][] grads, AdamSettings s)
    {
        var p = initial.Select(a => (double[])a.Clone()).ToArray();
        var m = p.Select(a => new double[a.Length]).ToArray();
        var v = p.Select(a => new double[a.Length]).ToArray();
        var vMax = p.Select(a => new double[a.Length]).ToArray();
        var t = new int[p.Length];
        var history = new List<double[][]>();
        foreach (var stepGrads in grads)
        {
            for (int i = 0; i < p.Length; i++)
            {
                if (stepGrads[i] is not { } grad) continue;
                t[i]++;
                double c1 = 1 - Math.Pow(s.Beta1, t[i]), c2 = 1 - Math.Pow(s.Beta2, t[i]);
                for (int k = 0; k < grad.Length; k++)
                {
                    double g = grad[k];
                    if (s.Decoupled) p[i][k] *= 1 - s.Lr * s.WeightDecay;
                    else g += s.WeightDecay * p[i][k];
                    m[i][k] = s.Beta1 * m[i][k] + (1 - s.Beta1) * g;
                    v[i][k] = s.Beta2 * v[i][k] + (1 - s.Beta2) * g * g;
                    vMax[i][k] = Math.Max(vMax[i][k], v[i][k]);
                    double second = s.AmsGrad ? vMax[i][k] : v[i][k];
                    p[i][k] -= s.Lr / c1 * m[i][k] / (Math.Sqrt(second) / Math.Sqrt(c2) + s.Eps);
                }
            }
            history.Add(p.Select(a => (double[])a.Clone()).ToArray());
        }
        return history.ToArray();
    }
}
