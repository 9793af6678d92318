using System.Diagnostics;
using System.Text;

namespace Tensorlet.Tests;

/// <summary>Runs a program (a <c>dotnet</c> build, pack or tool install, an installed tool) to completion from a test.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="args"/> in <paramref name="workingDirectory"/> (null: this
    /// process's) and returns the exit code and everything printed; fails the test if it outlives <paramref name="timeout"/>.
    /// The test host's MSBuild variables are removed (a child build must find its own SDK and nodes) and
    /// <paramref name="environment"/> is added.
    /// </summary>
    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null,
                                                    IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "", StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}.");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
