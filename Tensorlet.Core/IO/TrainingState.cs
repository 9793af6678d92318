namespace Tensorlet.IO;

/// <summary>
/// The part of a training run a <see cref="Checkpoint"/> stores besides weights, optimizer and schedule: where the
/// run is, the states of its random generators (so shuffling, augmentation and dropout continue the same sequence),
/// and free-form notes.
/// </summary>
/// <example><code>
/// var state = new TrainingState { Epoch = epoch, Step = step };
/// state.Loaders["train"] = loaderStateAtEpochStart;   // DataLoader.GetState() taken before Epoch()
/// state.Generators["dropout"] = dropoutGenerator.GetState();
/// state.Metadata["model"] = "mlp-256";
/// Checkpoint.Save(path, model, optimizer, schedule, state);
/// </code></example>
public sealed class TrainingState
{
    /// <summary>
    /// The epoch the run is in (your convention: completed epochs, or the current one); <see cref="Checkpoint.Load"/>
    /// refuses a value outside [0, 2³¹ − 1], so it converts to an <c>int</c> loop counter safely.
    /// </summary>
    public long Epoch { get; set; }

    /// <summary>The optimizer steps taken so far (never negative in a loaded checkpoint).</summary>
    public long Step { get; set; }

    /// <summary><see cref="Generator.GetState"/> results by name.</summary>
    public Dictionary<string, ulong[]> Generators { get; } = new();

    /// <summary><see cref="Data.DataLoader.GetState"/> results by name.</summary>
    public Dictionary<string, ulong[][]> Loaders { get; } = new();

    /// <summary>Free-form notes (hyper-parameters, git commit, ...), stored as strings.</summary>
    public Dictionary<string, string> Metadata { get; } = new();
}
