using System.IO.Compression;
using System.Xml.Linq;
using Tensorlet.Tests.Examples;

namespace Tensorlet.Tests.Packaging;

/// <summary>
/// <c>dotnet pack</c> gives the three libraries and the CLI as a dotnet tool, with their metadata; the tool installs
/// from the packed folder and trains; a new console app builds against the packed libraries and runs.
/// </summary>
[TestFixture, NonParallelizable, Category("Packaging")]
public class PackagingTests
{
    private static readonly string[] Libraries = ["Tensorlet.Kernels", "Tensorlet.Core", "Tensorlet.Models"];
    private LocalFeed _feed = null!;

    [OneTimeSetUp]
    public void Pack() => _feed = new LocalFeed();

    [OneTimeTearDown]
    public void Clean() => _feed?.Dispose();

    [Test]
    public void OnlyTheLibrariesAndTheToolArePackedEachWithSymbols()
    {
        var packed = Directory.GetFiles(_feed.PackDir).Select(Path.GetFileName).ToList();
        var expected = Libraries.Append("Tensorlet.Cli").SelectMany(id => new[] { $"{id}.{_feed.Version}.nupkg", $"{id}.{_feed.Version}.snupkg" });
        Assert.That(packed, Is.EquivalentTo(expected), _feed.PackOutput);
    }

    [Test]
    public void EveryPackageCarriesItsMetadataAndTheReadme()
    {
        byte[] readme = File.ReadAllBytes(Path.Combine(ExampleRunner.RepoRoot, "README.md"));
        foreach (var id in Libraries.Append("Tensorlet.Cli"))
        {
            using var zip = ZipFile.OpenRead(_feed.Package(id, "nupkg"));
            var nuspec = XDocument.Load(zip.GetEntry($"{id}.nuspec")!.Open());
            XNamespace ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            string Field(string name) => metadata.Element(ns + name)?.Value ?? "";
            Assert.That(Field("id"), Is.EqualTo(id));
            Assert.That(Field("version"), Is.EqualTo(_feed.Version), id);
            Assert.That(Field("description"), Does.Contain(id == "Tensorlet.Cli" ? "tensorlet" : "Tensorlet"), id);
            Assert.That(Field("authors"), Is.Not.Empty, id);
            Assert.That(metadata.Element(ns + "license")?.Attribute("type")?.Value, Is.EqualTo("expression"), id);
            Assert.That(Field("license"), Is.EqualTo("MIT"), id);
            Assert.That(Field("projectUrl"), Is.EqualTo("https://github.com/tensorlet/tensorlet"), id);
            Assert.That(metadata.Element(ns + "repository")?.Attribute("url")?.Value, Is.EqualTo("https://github.com/tensorlet/tensorlet"), id);
            Assert.That(Field("readme"), Is.EqualTo("README.md"), id);
            Assert.That(Field("icon"), Is.Empty, id);
            using var packedReadme = new MemoryStream();
            zip.GetEntry("README.md")!.Open().CopyTo(packedReadme);
            Assert.That(packedReadme.ToArray(), Is.EqualTo(readme), $"{id}: README.md is the repository's");
        }
    }

    [Test]
    public void TheLibrariesHoldTheirAssemblyAndDocsAndDependOnEachOther()
    {
        foreach (var id in Libraries)
        {
            using var zip = ZipFile.OpenRead(_feed.Package(id, "nupkg"));
            Assert.That(zip.GetEntry($"lib/net10.0/{id}.dll"), Is.Not.Null, id);
            Assert.That(zip.GetEntry($"lib/net10.0/{id}.xml"), Is.Not.Null, $"{id}: XML docs for IntelliSense");
            using var symbols = ZipFile.OpenRead(_feed.Package(id, "snupkg"));
            Assert.That(symbols.GetEntry($"lib/net10.0/{id}.pdb"), Is.Not.Null, id);
        }
        Assert.That(Dependencies("Tensorlet.Models"), Is.EquivalentTo(new[] { "Tensorlet.Core" }));
        // Core reads images (StbImageSharp) and writes ONNX (OnnxSharp's generated classes on Google.Protobuf).
        Assert.That(Dependencies("Tensorlet.Core"), Is.EquivalentTo(new[] { "Tensorlet.Kernels", "StbImageSharp", "OnnxSharp", "Google.Protobuf" }));
        Assert.That(Dependencies("Tensorlet.Kernels"), Is.EquivalentTo(new[] { "ILGPU", "ILGPU.Algorithms" }));
    }

    [Test]
    public void TheToolPackageHoldsTheCommandAndThePlottingNativeLibraries()
    {
        using var zip = ZipFile.OpenRead(_feed.Package("Tensorlet.Cli", "nupkg"));
        var settings = XDocument.Load(zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open());
        Assert.That(settings.Descendants("Command").Single().Attribute("Name")?.Value, Is.EqualTo("tensorlet"));
        Assert.That(zip.GetEntry("tools/net10.0/any/tensorlet.dll"), Is.Not.Null);
        // ScottPlot draws curves.png through SkiaSharp, whose native library must travel with the tool.
        Assert.That(zip.GetEntry("tools/net10.0/any/runtimes/linux-x64/native/libSkiaSharp.so"), Is.Not.Null);
    }

    [Test]
    public void TheToolInstallsFromThePackedFolderAndTrains()
    {
        string tools = Path.Combine(_feed.Root, "tools");
        var (code, output) = _feed.Run("dotnet",
            ["tool", "install", "--tool-path", tools, "--configfile", _feed.ConfigFile, "Tensorlet.Cli", "--version", _feed.Version], _feed.Root);
        Assert.That(code, Is.Zero, output);
        string tensorlet = Path.Combine(tools, OperatingSystem.IsWindows() ? "tensorlet.exe" : "tensorlet");

        (code, output) = _feed.Run(tensorlet, ["--version"], _feed.Root);
        Assert.That(code, Is.Zero, output);
        Assert.That(output.Trim(), Is.EqualTo(_feed.Version));

        string run = Path.Combine(_feed.Root, "run");
        (code, output) = _feed.Run(tensorlet,
            ["train", "--model", "mlp", "--data", "sample", "--epochs", "1", "--batch", "500", "--threads", "1", "--out", run], _feed.Root);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("test accuracy"));
        Assert.That(new FileInfo(Path.Combine(run, "checkpoint.safetensors")).Length, Is.GreaterThan(0));
        Assert.That(new FileInfo(Path.Combine(run, "curves.png")).Length, Is.GreaterThan(0), "the plot needs SkiaSharp's native library");
    }

    [Test]
    public void AConsoleAppBuildsAgainstThePackedLibrariesAndRuns()
    {
        string app = Path.Combine(_feed.Root, "app");
        Directory.CreateDirectory(app);
        File.Copy(_feed.ConfigFile, Path.Combine(app, "nuget.config"));
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Tensorlet.Models" Version="{_feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Tensorlet;
            using Tensorlet.Models;

            var model = ModelZoo.Get("cnn").Create(1, 10, new Generator(0));
            var logits = model.Forward(Tensor.Zeros(3, 1, 28, 28));
            Console.WriteLine("logits [" + string.Join(", ", logits.Shape) + "]");
            """);
        var (code, output) = _feed.Run("dotnet", ["run", "-c", "Release", "--disable-build-servers"], app);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("logits [3, 10]"));
    }

    private string[] Dependencies(string id)
    {
        using var zip = ZipFile.OpenRead(_feed.Package(id, "nupkg"));
        var nuspec = XDocument.Load(zip.GetEntry($"{id}.nuspec")!.Open());
        return nuspec.Descendants(nuspec.Root!.Name.Namespace + "dependency").Select(d => d.Attribute("id")!.Value).ToArray();
    }
}
