using System.Reflection;
using System.Runtime.InteropServices;
using Tensorlet.Tests.Examples;

namespace Tensorlet.Tests.Packaging;

/// <summary>
/// The repository's packages, packed into a temporary folder from the build the tests run on (<c>--no-build</c>: the
/// test run never rebuilds the assemblies it has loaded), with a nuget.config that takes Tensorlet.* from that folder
/// and everything else from the machine's NuGet cache, so installing and restoring need no network. Children use a
/// package folder of their own, so the packed 0.x versions never enter the user's cache.
/// </summary>
internal sealed class LocalFeed : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>The temporary folder everything lives in.</summary>
    public string Root { get; }

    /// <summary>Where the .nupkg and .snupkg files are.</summary>
    public string PackDir => Path.Combine(Root, "feed");

    /// <summary>The nuget.config naming the two sources.</summary>
    public string ConfigFile => Path.Combine(Root, "nuget.config");

    /// <summary>The package version: the informational version the libraries were built with.</summary>
    public string Version { get; } =
        typeof(Tensor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; }

    /// <summary>Variables for every child: its own package folder, and the runtime for an installed tool's launcher.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public LocalFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "tensorlet-pack-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        string configuration = typeof(LocalFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var (code, output) = ChildProcess.Run("dotnet",
            ["pack", "Tensorlet.sln", "-c", configuration, "--no-build", "--disable-build-servers", "-o", PackDir, "-nologo"],
            Limit, ExampleRunner.RepoRoot);
        PackOutput = output;
        if (code != 0) throw new InvalidOperationException($"dotnet pack Tensorlet.sln -c {configuration} --no-build failed ({code}):\n{output}");

        string cache = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        // The NuGet cache keeps every restored package's .nupkg in the layout of a local feed.
        File.WriteAllText(ConfigFile, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="tensorlet" value="{PackDir}" />
                <add key="cache" value="{cache}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="tensorlet"><package pattern="Tensorlet.*" /></packageSource>
                <packageSource key="cache"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        // The runtime this test runs on: .../dotnet/shared/Microsoft.NETCore.App/VERSION/.
        string dotnetRoot = System.Environment.GetEnvironmentVariable("DOTNET_ROOT")
                            ?? Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        Environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
            ["DOTNET_ROOT"] = dotnetRoot,
        };
    }

    /// <summary>The path of a packed file, e.g. <c>Package("Tensorlet.Core", "nupkg")</c>.</summary>
    public string Package(string id, string extension) => Path.Combine(PackDir, $"{id}.{Version}.{extension}");

    /// <summary>Runs <paramref name="fileName"/> in <paramref name="workingDirectory"/> with the feed's environment.</summary>
    public (int ExitCode, string Output) Run(string fileName, IEnumerable<string> args, string workingDirectory) =>
        ChildProcess.Run(fileName, args, Limit, workingDirectory, Environment);

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
