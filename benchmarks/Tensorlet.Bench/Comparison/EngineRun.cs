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
    /// <summary>
    /// The engine names, in the order every block runs them. The same order each time spaces each engine's children
    /// evenly through the run: the order that once alternated between blocks (A B C, C B A, A B C) ran an engine's
    /// children back to back at each turn, and a few minutes of a slowed host then held two of its three blocks.
    /// </summary>
    public static IReadOnlyList<string> Engines { get; } = ["tensorlet", "libtorch", "libtorch-nommap"];

    /// <summary>The children of a run of <paramref name="blocks"/> blocks, in the order the driver starts them.</summary>
    public static IReadOnlyList<(int Block, string Engine)> Schedule(int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        return Enumerable.Range(0, blocks).SelectMany(b => Engines.Select(e => (b, e))).ToList();
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));

    /// <summary>Reads a child's report; the error names the file when it is missing or not a report.</summary>
    public static EngineRun Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"comparison: the child's report '{path}' was not written.", path);
        return JsonSerializer.Deserialize<EngineRun>(File.ReadAllText(path))
               ?? throw new InvalidDataException($"comparison: '{path}' holds no engine report.");
    }
}
