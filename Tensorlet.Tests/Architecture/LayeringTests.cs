using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Tensorlet.Tests.Architecture;

/// <summary>
/// docs/architecture.md's layering, read from the built assemblies themselves (their reference tables, not the
/// project files): Cli → (Bench →) Models → Core → Kernels, each layer referencing only layers below it, no layer
/// opening its internals to a production assembly, and Models using nothing but public types and members.
/// </summary>
public class LayeringTests
{
    /// <summary>Production assemblies from the bottom up; an assembly may reference only those before it.</summary>
    private static readonly string[] Layers = ["Tensorlet.Kernels", "Tensorlet.Core", "Tensorlet.Models", "Tensorlet.Bench", "tensorlet"];

    /// <summary>Assemblies allowed to see internals: tooling and tests, never a production layer.</summary>
    private static readonly string[] InternalsReaders = ["ILGPURuntime", "Tensorlet.Tests", "Tensorlet.Benchmarks"];

    private static string PathOf(string assembly) => Path.Combine(AppContext.BaseDirectory, assembly + ".dll");

    /// <summary>The production assemblies built next to the tests (the bench library only once it exists).</summary>
    private static IEnumerable<string> Built() => Layers.Where(name => File.Exists(PathOf(name)));

    [Test]
    public void EveryLayerIsBuiltNextToTheTests()
    {
        foreach (string name in Layers.Where(n => n != "Tensorlet.Bench"))
            Assert.That(File.Exists(PathOf(name)), Is.True, $"{PathOf(name)} is missing: the layering test would check nothing.");
    }

    [Test]
    public void EachLayerReferencesOnlyTheLayersBelowIt()
    {
        var faults = Built().SelectMany(name => ReferenceFaults(name, PathOf(name))).ToList();
        Assert.That(faults, Is.Empty, string.Join("\n", faults));
    }

    [Test]
    public void AnUpwardReferenceIsReported()
    {
        // The tests' own dll references Models and the CLI: judged as if it were Core, both are upward references.
        var faults = ReferenceFaults("Tensorlet.Core", typeof(LayeringTests).Assembly.Location);
        Assert.That(faults, Has.Some.Contains("Tensorlet.Core references Tensorlet.Models, a layer at or above its own"));
        Assert.That(faults, Has.Some.Contains("Tensorlet.Core references tensorlet, a layer at or above its own"));
    }

    private static List<string> ReferenceFaults(string name, string path)
    {
        int level = Array.IndexOf(Layers, name);
        var faults = new List<string>();
        foreach (string reference in ReferencedAssemblies(path).Where(IsTensorlet))
        {
            int target = Array.IndexOf(Layers, reference);
            if (target < 0) faults.Add($"{name} references {reference}, which is no known layer (add it to the table in docs/architecture.md and here).");
            else if (target >= level) faults.Add($"{name} references {reference}, a layer at or above its own (allowed: {string.Join(", ", Layers[..level])}).");
        }
        return faults;
    }

    [Test]
    public void NoLayerOpensItsInternalsToAnotherLayer()
    {
        var faults = new List<string>();
        foreach (string name in Built())
            foreach (string reader in InternalsVisibleTo(PathOf(name)))
                if (!InternalsReaders.Contains(reader))
                    faults.Add($"{name} has [InternalsVisibleTo(\"{reader}\")]; only {string.Join(", ", InternalsReaders)} may see internals.");
        Assert.That(faults, Is.Empty, string.Join("\n", faults));
    }

    [Test]
    public void ModelsUsesOnlyThePublicApiOfTheLayersBelow()
    {
        var below = new[] { typeof(Tensor).Assembly, typeof(global::Tensorlet.Kernels.IBackend).Assembly }.ToDictionary(a => a.GetName().Name!);
        var faults = new List<string>();
        int checkedCount = 0;
        using var pe = new PEReader(File.OpenRead(PathOf("Tensorlet.Models")));
        var md = pe.GetMetadataReader();
        foreach (var handle in md.TypeReferences)
        {
            if (ResolveType(md, handle, below) is not { } type) continue;
            checkedCount++;
            if (!type.IsVisible) faults.Add($"Models uses non-public type {type.FullName}.");
        }
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference) continue;
            if (ResolveType(md, (TypeReferenceHandle)member.Parent, below) is not { } type) continue;
            string memberName = md.GetString(member.Name);
            var candidates = type.GetMember(memberName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static);
            checkedCount++;
            if (candidates.Length == 0) faults.Add($"Models uses {type.FullName}.{memberName}, which does not exist in the built assembly.");
            else if (!candidates.Any(IsReachable)) faults.Add($"Models uses non-public member {type.FullName}.{memberName}.");
        }
        Assert.That(checkedCount, Is.GreaterThan(50), "Models' references to Core were not found; the check would pass vacuously.");
        Assert.That(faults, Is.Empty, string.Join("\n", faults));
    }

    [Test]
    public void NothingAboveKernelsNamesAConcreteBackend()
    {
        // Core and Models reach a device only through IBackend (Kernels' Backends hands them out), so no type they
        // reference may live in the backends' own namespaces.
        string[] concrete = ["Tensorlet.Kernels.Cpu", "Tensorlet.Kernels.Gpu", "Tensorlet.Kernels.Reference"];
        var faults = new List<string>();
        int seen = 0;
        foreach (string name in new[] { "Tensorlet.Core", "Tensorlet.Models" })
        {
            using var pe = new PEReader(File.OpenRead(PathOf(name)));
            var md = pe.GetMetadataReader();
            foreach (var handle in md.TypeReferences)
            {
                var reference = md.GetTypeReference(handle);
                string ns = md.GetString(reference.Namespace);
                if (ns.StartsWith("Tensorlet.Kernels", StringComparison.Ordinal)) seen++;
                if (concrete.Any(c => ns == c || ns.StartsWith(c + ".", StringComparison.Ordinal)))
                    faults.Add($"{name} names {ns}.{md.GetString(reference.Name)}.");
            }
        }
        Assert.That(seen, Is.GreaterThan(0), "Core's references into Kernels were not found; the check would pass vacuously.");
        Assert.That(faults, Is.Empty, string.Join("\n", faults));
    }

    [Test]
    public void TheAttributeReaderSeesCoresOneReader()
    {
        Assert.That(InternalsVisibleTo(PathOf("Tensorlet.Core")), Is.EqualTo(new[] { "Tensorlet.Tests" }));
    }

    private static bool IsTensorlet(string name) => name.StartsWith("Tensorlet", StringComparison.OrdinalIgnoreCase);

    private static List<string> ReferencedAssemblies(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
    }

    /// <summary>The assembly names of every [InternalsVisibleTo] on the assembly, decoded from the attribute blobs.</summary>
    private static List<string> InternalsVisibleTo(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        var readers = new List<string>();
        foreach (var handle in md.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = md.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var ctor = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (ctor.Parent.Kind != HandleKind.TypeReference) continue;
            if (md.GetString(md.GetTypeReference((TypeReferenceHandle)ctor.Parent).Name) != nameof(System.Runtime.CompilerServices.InternalsVisibleToAttribute)) continue;
            var blob = md.GetBlobReader(attribute.Value);
            blob.ReadUInt16(); // the custom-attribute prolog, 0x0001
            string value = blob.ReadSerializedString() ?? "";
            readers.Add(value.Split(',')[0].Trim());
        }
        return readers;
    }

    /// <summary>The runtime type a type reference names when it lives in one of <paramref name="assemblies"/>; else null.</summary>
    private static Type? ResolveType(MetadataReader md, TypeReferenceHandle handle, Dictionary<string, Assembly> assemblies)
    {
        var reference = md.GetTypeReference(handle);
        string name = md.GetString(reference.Name);
        var scope = reference.ResolutionScope;
        if (scope.Kind == HandleKind.TypeReference)
            return ResolveType(md, (TypeReferenceHandle)scope, assemblies)?.GetNestedType(name, BindingFlags.Public | BindingFlags.NonPublic);
        if (scope.Kind != HandleKind.AssemblyReference) return null;
        string assembly = md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name);
        if (!assemblies.TryGetValue(assembly, out var owner)) return null;
        string ns = md.GetString(reference.Namespace);
        string fullName = ns.Length == 0 ? name : ns + "." + name;
        return owner.GetType(fullName) ?? throw new AssertionException($"Models references {fullName} in {assembly}, which the built {assembly} lacks.");
    }

    private static bool IsReachable(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        Type t => t.IsVisible,
        _ => true, // properties and events are referenced through their accessor methods, checked above
    };
}
