using Tensorlet.IO;

namespace Tensorlet.Tests.Parity;

/// <summary>
/// Every case of the torch-parity manifest through one test: load the case's safetensors, run its op through
/// <see cref="ParityOps.Table"/>, compare the outputs, then backpropagate loss = Σ out ⊙ G and compare the stored
/// gradients of inputs and parameters. Tolerance (README): max |ours − ref| ≤ 1e-4 · max(1, max |ref|) per tensor.
/// Every case runs on the CPU and on the GPU code path (ILGPU's CPU accelerator), so both backends match PyTorch.
/// </summary>
public class ParityTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        ParityCase.LoadManifest().SelectMany(c => new[] { new TestCaseData(c, "cpu"), new TestCaseData(c, "ilgpu-cpu") });

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorch(ParityCase c, string deviceName)
    {
        var device = Device.Parse(deviceName);
        var run = ParityOps.Table.GetValueOrDefault(c.Op) ?? throw new AssertionException(
            $"op {c.Op} has no entry in ParityOps.Table: wire it there (one line) so its cases are checked");

        using var scope = TensorScope.Begin();
        var stored = SafeTensors.Load(c.Path);
        var inputs = c.Inputs.ToDictionary(name => name, name => Leaf(stored[name].To(device), c.Grads.ContainsKey(name) || c.Parameters.Contains(name)));
        var outputs = run(c, inputs);

        Assert.Multiple(() =>
        {
            foreach (var name in c.Outputs) AssertClose(c, name, outputs[name], stored[name]);
        });
        if (c.Grads.Count == 0) return;

        Tensor? loss = null;
        foreach (var (output, upstream) in c.Upstream)
        {
            var term = outputs[output].Mul(stored[upstream].To(device)).Sum();
            loss = loss == null ? term : loss.Add(term);
        }
        loss!.Backward();
        Assert.Multiple(() =>
        {
            foreach (var (input, gradName) in c.Grads)
            {
                var grad = inputs[input].Grad;
                Assert.That(grad, Is.Not.Null, $"{c.Name}: no gradient reached '{input}'");
                if (grad != null) AssertClose(c, gradName, grad, stored[gradName]);
            }
        });
    }

    private static Tensor Leaf(Tensor stored, bool requiresGrad)
    {
        var t = stored.Clone();
        t.RequiresGrad = requiresGrad;
        return t;
    }

    private static void AssertClose(ParityCase c, string name, Tensor ours, Tensor reference)
    {
        Assert.That(ours.Shape, Is.EqualTo(reference.Shape), $"{c.Name}: shape of '{name}'");
        if (!Shape.SameShape(ours.ShapeSpan, reference.ShapeSpan)) return;
        var a = ours.ToArray();
        var r = reference.ToArray();
        double worst = 0, scale = 1;
        int at = -1;
        for (int i = 0; i < r.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(r[i]));
            double d = Math.Abs((double)a[i] - r[i]);
            if (!(d <= worst)) (worst, at) = (d, i);
        }
        double tolerance = 1e-4 * scale;
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance),
            $"{c.Name}: '{name}' differs by {worst:G3} at flat index {at} (ours {(at >= 0 ? a[at] : 0)}, torch {(at >= 0 ? r[at] : 0)}); tolerance {tolerance:G3}");
    }
}
