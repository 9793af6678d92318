using System.Text;

namespace Tensorlet.NN;

/// <summary>One row of a <see cref="ModelSummary"/>: a module as it ran, with its subtree's parameters and FLOPs.</summary>
public sealed record LayerSummary(string Name, string Type, int Depth, int[] OutputShape, long Parameters, double Flops);

/// <summary>
/// What <see cref="Module.Summary"/> measured by running one forward pass: every module called (via
/// <see cref="Module.Call"/>) in call order with its output shape, parameters and forward FLOPs, like torchinfo.
/// </summary>
public sealed class ModelSummary
{
    internal ModelSummary(int[] inputShape, IReadOnlyList<LayerSummary> layers, long parameters, double flops)
    {
        InputShape = inputShape;
        Layers = layers;
        TotalParameters = parameters;
        TotalFlops = flops;
    }

    public int[] InputShape { get; }
    public IReadOnlyList<LayerSummary> Layers { get; }
    public long TotalParameters { get; }

    /// <summary>Forward FLOPs for the given input (a multiply-add counts 2).</summary>
    public double TotalFlops { get; }

    public override string ToString()
    {
        var rows = Layers.Select(l => (Name: new string(' ', 2 * l.Depth) + (l.Name.Length == 0 ? l.Type : $"{l.Name} ({l.Type})"),
                                       Shape: Shape.Format(l.OutputShape), Params: l.Parameters.ToString("N0"), Flops: FormatFlops(l.Flops))).ToList();
        int w0 = Math.Max(5, rows.Max(r => r.Name.Length)), w1 = Math.Max(12, rows.Max(r => r.Shape.Length)),
            w2 = Math.Max(10, rows.Max(r => r.Params.Length)), w3 = Math.Max(7, rows.Max(r => r.Flops.Length));
        var sb = new StringBuilder();
        string line = new('-', w0 + w1 + w2 + w3 + 9);
        sb.AppendLine($"{"Layer".PadRight(w0)} | {"Output shape".PadRight(w1)} | {"Params".PadLeft(w2)} | {"FLOPs".PadLeft(w3)}").AppendLine(line);
        foreach (var r in rows) sb.AppendLine($"{r.Name.PadRight(w0)} | {r.Shape.PadRight(w1)} | {r.Params.PadLeft(w2)} | {r.Flops.PadLeft(w3)}");
        sb.AppendLine(line)
          .AppendLine($"Input shape: {Shape.Format(InputShape)}")
          .AppendLine($"Total parameters: {TotalParameters:N0}")
          .Append($"Total FLOPs: {FormatFlops(TotalFlops)}");
        return sb.ToString();
    }

    public static string FormatFlops(double f) => f switch
    {
        >= 1e9 => $"{f / 1e9:F2} G",
        >= 1e6 => $"{f / 1e6:F2} M",
        >= 1e3 => $"{f / 1e3:F2} K",
        _ => f.ToString("F0"),
    };
}

/// <summary>Collects module calls while a summary pass runs (thread-local, so other threads are unaffected).</summary>
internal sealed class SummaryRecorder
{
    [ThreadStatic] public static SummaryRecorder? Current;

    private readonly Dictionary<Module, string> _names;
    private readonly List<(Module Module, int Depth, int[] Shape, double OwnFlops, int Index)> _calls = new();
    private int _depth;

    public SummaryRecorder(Module root)
    {
        _names = new Dictionary<Module, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, m) in root.NamedModules()) _names.TryAdd(m, name);
    }

    public int Enter()
    {
        _calls.Add((null!, _depth, [], 0, _calls.Count));
        _depth++;
        return _calls.Count - 1;
    }

    public void Exit(int slot, Module module, Tensor input, Tensor output)
    {
        _depth--;
        _calls[slot] = (module, _depth, output.Shape, module.ForwardFlops(input.Shape, output.Shape), slot);
    }

    public ModelSummary Build(Module root, int[] inputShape)
    {
        var layers = new List<LayerSummary>();
        for (int i = 0; i < _calls.Count; i++)
        {
            var (m, depth, shape, _, _) = _calls[i];
            double flops = 0;
            for (int j = i; j < _calls.Count && (j == i || _calls[j].Depth > depth); j++) flops += _calls[j].OwnFlops;
            layers.Add(new LayerSummary(_names.GetValueOrDefault(m, ""), m.GetType().Name, depth, shape, m.ParameterCount(), flops));
        }
        return new ModelSummary(inputShape, layers, root.ParameterCount(), layers.Count > 0 ? layers[0].Flops : 0);
    }
}
