using System.ComponentModel;
using System.Diagnostics;

namespace Tensorlet.Cli.Explain;

/// <summary>Renders a DOT file to PNG with Graphviz's <c>dot</c> when it is installed; Tensorlet itself never needs it.</summary>
public static class GraphvizRenderer
{
    /// <summary>Runs <c>dot -Tpng</c>; returns null on success, else why no PNG was made (dot missing, or its error).</summary>
    /// <param name="executable">The Graphviz program to run (tests name a missing one).</param>
    public static string? TryRender(string dotPath, string pngPath, string executable = "dot")
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-Tpng", dotPath, "-o", pngPath }) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                return "Graphviz's dot did not finish within a minute";
            }
            return process.ExitCode == 0 ? null : $"Graphviz's dot failed (exit {process.ExitCode}): {stderr.Result.Trim()}";
        }
        catch (Win32Exception)
        {
            return "Graphviz's dot is not installed (apt-get install graphviz), so no PNG was drawn";
        }
    }
}
