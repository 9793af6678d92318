#:project ../Tensorlet.Models/Tensorlet.Models.csproj
// Draws, for each of the eight architectures, one block of a real Tensorlet.Models network: its autograd graph as
// Graphviz DOT (Autograd.Graph.ToDot) and its parameter/FLOP table (Module.Summary), for the docs/learn pages.
// tools/learn-docs.sh runs it and renders the DOT files to docs/learn/img/NAME.png.
// Usage: dotnet run tools/learn-pictures.cs OUTPUT_DIR
using Tensorlet;
using Tensorlet.Models;
using Tensorlet.NN;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: dotnet run tools/learn-pictures.cs OUTPUT_DIR");
    return 2;
}
Directory.CreateDirectory(args[0]);

// (file name, model, the block's module names within the model). Several names make one Sequential of those modules.
var blocks = new (string Name, Module Model, string[] Modules)[]
{
    ("vgg", Vgg.Vgg11CifarNarrow(8, generator: new Generator(1)), ["features.8", "features.9", "features.10", "features.11", "features.12", "features.13"]),
    ("nin", NetworkInNetwork.Cifar10Narrow(4, generator: new Generator(1)), ["block3", "gap"]),
    ("resnet", ResNet.Cifar20(generator: new Generator(1)), ["layer1.1"]),
    ("resnext", ResNeXt.Cifar(11, cardinality: 4, baseWidth: 4, generator: new Generator(1)), ["layer1.0"]),
    ("densenet", DenseNet.Cifar(10, 6, generator: new Generator(1)), ["features.denseblock1"]),
    ("senet", SENet.Cifar20(generator: new Generator(1)), ["layer1.1"]),
    ("crelu", CReluNet.HalfFilters(generator: new Generator(1)), ["conv2"]),
    ("cliquenet", CliqueNet.Cifar(6, 8, stemChannels: 16, generator: new Generator(1)), ["blocks.0"]),
};

foreach (var (name, model, moduleNames) in blocks)
{
    model.Eval();   // no dropout in the pictures; batch norm's op is the same either way
    var all = model.NamedModules().ToDictionary(m => m.Name, m => m.Module);
    var parts = moduleNames.Select(n => all.TryGetValue(n, out var m) ? m : throw new InvalidOperationException($"{name}: no module '{n}'")).ToArray();
    var block = parts.Length == 1 ? parts[0] : new Sequential(parts);

    // The block's input shape: whatever reaches its first module when the whole network sees a 32×32 image.
    int[]? inputShape = null;
    using (parts[0].RegisterForwardPreHook((_, input) => inputShape ??= input.Shape))
    using (GradMode.NoGrad())
    using (TensorScope.Begin())
        model.Call(Tensor.Randn([1, 3, 32, 32], new Generator(2)));

    var x = Tensor.Randn(inputShape!, new Generator(3), requiresGrad: true);
    var names = new Dictionary<Tensor, string> { [x] = "x" };
    // Leaves carry their names in the whole model (features.8.weight), as the Models code calls them.
    for (int i = 0; i < parts.Length; i++)
        foreach (var (pName, p) in parts[i].NamedParameters()) names[p] = moduleNames[i] + "." + pName;
    var y = block.Call(x);
    File.WriteAllText(Path.Combine(args[0], name + ".dot"), Autograd.Graph.ToDot(y, names));
    File.WriteAllText(Path.Combine(args[0], name + ".summary.txt"),
        $"{string.Join(" + ", moduleNames)} of {model.GetType().Name}\n{block.Summary(inputShape!)}\n");
    Console.WriteLine($"{name}: {string.Join(" + ", moduleNames)}, input [{string.Join(", ", inputShape!)}], {block.ParameterCount():N0} parameters");
}
return 0;
