using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tensorlet.Bench.Comparison;

/// <summary>
/// What one child process of the comparison harness reports: one engine (Tensorlet, or libtorch under one allocator
/// setting) measured alone in its own process, in one block of the run.
/// </summary>
/// <param name="Engine">"tensorlet", "libtorch" or "libtorch-nommap" (libtorch with <c>MALLOC_MMAP_MAX_=0</c> and <c>MALLOC_TRIM_THRESHOLD_</c> raised: glibc keeps freed memory).</param>
/// <param name="Block">The block (0-based) the run belongs to.</param>
/// <param name="Results">One result per case, in the order run.</param>
/// <param name="Parameters">For whole-model cases, the model's learnable parameters as this engine built it.</param>
public sealed record EngineRun(
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("block")] int Block,
    [property: JsonPropertyName("results")] IReadOnlyList<BenchResult> Results,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, long> Parameters)
{
    /// <summary>The engine names, in the order the first block runs them (later blocks alternate the order).</summary>
    public static IReadOnlyList<string> Engines { get; } = ["tensorlet", "libtorch", "libtorch-nommap"];

    /// <summary>Engines in the order block <paramref name="block"/> runs them: forwards in even blocks, backwards in odd ones.</summary>
    public static IReadOnlyList<string> Order(int block) => block % 2 == 0 ? Engines : Engines.Reverse().ToList();

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));

    /// <summary>Reads a child's report; the error names the file when it is missing or not a report.</summary>
    public static EngineRun Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"comparison: the child's report '{path}' was not written.", path);
        return JsonSerializer.Deserialize<EngineRun>(File.ReadAllText(path))
               ?? throw new InvalidDataException($"comparison: '{path}' holds no engine report.");
    }
}
