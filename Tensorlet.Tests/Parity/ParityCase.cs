using System.Text.Json;

namespace Tensorlet.Tests.Parity;

/// <summary>One entry of the torch-parity manifest (see Data/torch-parity/README.md).</summary>
public sealed record ParityCase(
    string Name, string Op, string File, JsonElement Params, string Notes,
    IReadOnlyList<string> Inputs, IReadOnlyList<string> Parameters, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, string> Grads, IReadOnlyDictionary<string, string> Upstream)
{
    public static string Directory => System.IO.Path.Combine(AppContext.BaseDirectory, "Data", "torch-parity");

    public string Path => System.IO.Path.Combine(Directory, File);

    public static IReadOnlyList<ParityCase> LoadManifest()
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(Directory, "manifest.json")));
        return doc.RootElement.EnumerateArray().Select(FromJson).ToArray();
    }

    private static ParityCase FromJson(JsonElement e)
    {
        static string[] Names(JsonElement e, string key) =>
            e.TryGetProperty(key, out var a) ? a.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        static Dictionary<string, string> Map(JsonElement e, string key) =>
            e.TryGetProperty(key, out var o) ? o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : new();
        return new ParityCase(
            e.GetProperty("case").GetString()!, e.GetProperty("op").GetString()!, e.GetProperty("file").GetString()!,
            e.GetProperty("params").Clone(), e.TryGetProperty("notes", out var n) ? n.GetString()! : "",
            Names(e, "inputs"), Names(e, "parameters"), Names(e, "outputs"), Map(e, "grads"), Map(e, "upstream"));
    }

    public float Float(string key) => (float)Params.GetProperty(key).GetDouble();
    public int Int(string key) => Params.GetProperty(key).GetInt32();
    public bool Bool(string key) => Params.GetProperty(key).GetBoolean();
    public string String(string key) => Params.GetProperty(key).GetString()!;
    public int[] Ints(string key) => Params.GetProperty(key).EnumerateArray().Select(x => x.GetInt32()).ToArray();
    public bool Has(string key) => Params.TryGetProperty(key, out _);

    public override string ToString() => Name;
}
