using System.Diagnostics;

namespace Tensorlet.Tests.Cli;

/// <summary>Runs the <c>tensorlet</c> CLI (built beside the tests) as a child process.</summary>
internal static class CliProcess
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "tensorlet.dll");

    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(DllPath);
        foreach (var a in args) info.ArgumentList.Add(a);
        var p = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        // Drain the pipes so a chatty child never blocks on a full buffer.
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs to completion and returns the exit code and everything printed.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan timeout, params string[] args) =>
        ChildProcess.Run("dotnet", [DllPath, .. args], timeout);
}
