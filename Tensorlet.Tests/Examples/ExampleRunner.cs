using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Tensorlet.Tests.Examples;

/// <summary>What one run of an example printed.</summary>
internal sealed record ExampleRun(string Name, int ExitCode, string Output)
{
    /// <summary>The number captured by the first group of <paramref name="pattern"/> on the output; fails the test if absent.</summary>
    public double Number(string pattern)
    {
        var m = Regex.Match(Output, pattern, RegexOptions.Multiline);
        Assert.That(m.Success, Is.True, $"{Name}: no line matches /{pattern}/ in its output:\n{Output}");
        return double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every number captured by the first group of <paramref name="pattern"/>.</summary>
    public double[] Numbers(string pattern) =>
        Regex.Matches(Output, pattern, RegexOptions.Multiline)
             .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>
/// Builds and runs the file-based programs in <c>examples/</c> the way a learner does, once per test run. Each is built
/// in Release with its own artifacts folder beside the tests (<c>examples-build/</c>), so the library projects it
/// references are compiled there and never into the <c>bin/Release</c> folders that the test run itself loads.
/// </summary>
internal static class ExampleRunner
{
    private static readonly ConcurrentDictionary<string, Lazy<ExampleRun>> Runs = new();
    private static readonly object BuildLock = new();

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string ArtifactsDir => Path.Combine(AppContext.BaseDirectory, "examples-build");

    /// <summary>Every example's name (file name without <c>.cs</c>), in the learner's order.</summary>
    public static string[] Names() =>
        Directory.GetFiles(Path.Combine(RepoRoot, "examples"), "*.cs").Select(Path.GetFileNameWithoutExtension).Order().ToArray()!;

    /// <summary>The run of the example whose name starts with <paramref name="prefix"/> (e.g. "04"), built and run on first use.</summary>
    public static ExampleRun Run(string prefix)
    {
        var name = Names().SingleOrDefault(n => n.StartsWith(prefix + "-", StringComparison.Ordinal))
                   ?? throw new AssertionException($"no example examples/{prefix}-*.cs in {RepoRoot}");
        return Program(Path.Combine("examples", name + ".cs"));
    }

    /// <summary>Builds (once) and runs the file-based program at <paramref name="source"/>, relative to the repository root.</summary>
    public static ExampleRun Program(string source, params string[] args) =>
        Runs.GetOrAdd(source + "\0" + string.Join('\0', args), _ => new Lazy<ExampleRun>(() => BuildAndRun(source, args))).Value;

    private static ExampleRun BuildAndRun(string source, string[] args)
    {
        string name = Path.GetFileNameWithoutExtension(source);
        string dll;
        // One build at a time: the examples share the artifacts folder, where the library projects build once.
        lock (BuildLock)
        {
            var (code, output) = Exec(["build", source, "-c", "Release", "--artifacts-path", ArtifactsDir, "-nologo"], TimeSpan.FromMinutes(10));
            Assert.That(code, Is.EqualTo(0), $"dotnet build {source} failed:\n{output}");
            var m = Regex.Match(output, $@"{Regex.Escape(name)}\.cs -> (.+\.dll)\s*$", RegexOptions.Multiline);
            Assert.That(m.Success, Is.True, $"dotnet build {source} did not say where it wrote the program:\n{output}");
            dll = m.Groups[1].Value.Trim();
        }
        var (exit, printed) = Exec([dll, .. args], TimeSpan.FromMinutes(5));
        return new ExampleRun(name, exit, printed);
    }

    private static (int ExitCode, string Output) Exec(string[] args, TimeSpan timeout) => ChildProcess.Run("dotnet", args, timeout, RepoRoot);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tensorlet.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Tensorlet.sln above {AppContext.BaseDirectory}");
    }
}
