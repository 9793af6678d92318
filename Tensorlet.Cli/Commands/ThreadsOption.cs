using System.CommandLine;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// The <c>--threads</c> option of every computing command. Zero or fewer is refused at parse time; more than the
/// machine's cores is clamped to the core count with a warning on standard error, because extra threads only
/// time-slice the same cores (and a script written on a bigger machine should still run here).
/// </summary>
public static class ThreadsOption
{
    /// <summary>The option, defaulting to every core.</summary>
    public static Option<int> Create()
    {
        var option = new Option<int>("--threads")
        {
            Description = $"CPU threads, 1 to the core count ({Environment.ProcessorCount} here; more is clamped with a warning)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        option.Validators.Add(result =>
        {
            // Only a typed value can be wrong, and one that does not parse as a number is already reported.
            if (result.Implicit || result.Tokens.Count == 0 || !int.TryParse(result.Tokens[^1].Value, out int n)) return;
            if (n <= 0) result.AddError($"--threads must be at least 1, got {n}.");
        });
        return option;
    }

    /// <summary>
    /// <paramref name="requested"/> if the machine has that many cores, else the core count, after writing a warning
    /// line to <paramref name="warnings"/> (standard error when null, so a command's JSON output stays clean).
    /// </summary>
    public static int Clamp(int requested, TextWriter? warnings = null)
    {
        if (requested <= 0) throw new ArgumentException($"--threads must be at least 1, got {requested}.");
        int cores = Environment.ProcessorCount;
        if (requested <= cores) return requested;
        (warnings ?? Console.Error).WriteLine(
            $"warning: --threads {requested} is more than the {cores} cores here; using {cores} (results are bit-identical only at the same thread count).");
        return cores;
    }
}
