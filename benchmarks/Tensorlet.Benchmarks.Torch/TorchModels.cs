using Tensorlet.Bench;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>
/// The whole-model cases' libtorch twins, built op for op in TorchSharp after Tensorlet.Models' definitions (same layers,
/// same order, same biases; the harness asserts equal parameter counts): the CIFAR ResNet family (ResNet-20-B,
/// SE-ResNet-20, the narrow ResNeXt-29), VGG-11-CIFAR, NiN, DenseNet-BC-100 (k = 12), the CReLU network (half filters)
/// and CliqueNet (T = 12, k = 36; in <see cref="TorchCliqueNet"/>).
/// </summary>
internal static class TorchModels
{
    /// <summary>Whether <paramref name="name"/> has a TorchSharp twin here.</summary>
    public static bool Has(string name) =>
        name is "resnet20-b" or "se-resnet20" or BenchModels.ResNeXt29Narrow or "vgg11-cifar" or "nin-cifar10" or "densenet-bc100-k12"
            or "crelu-half" or "cliquenet-t12-k36";

    public static Module<TorchTensor, TorchTensor> Create(string name) => name switch
    {
        "resnet20-b" => new CifarResNet(bottleneck: false, [16, 32, 64], stem: 16, blocks: 3, shortcutA: false, groups: 1, width: 64, se: 0),
        "se-resnet20" => new CifarResNet(bottleneck: false, [16, 32, 64], stem: 16, blocks: 3, shortcutA: true, groups: 1, width: 64, se: 16),
        // ResNeXt.Cifar(29, 8, 16, stemWidth: 32): width per group 64·16/32 = 32, planes 32/64/128, bottlenecks ×4.
        BenchModels.ResNeXt29Narrow => new CifarResNet(bottleneck: true, [32, 64, 128], stem: 32, blocks: 3, shortcutA: false, groups: 8, width: 32, se: 0),
        "vgg11-cifar" => Vgg11Cifar(),
        "nin-cifar10" => NetworkInNetwork(),
        "densenet-bc100-k12" => new DenseNetBC(blockLayers: 16, growth: 12),
        "crelu-half" => CReluHalf(),
        "cliquenet-t12-k36" => new TorchCliqueNet(layersPerBlock: 4, growth: 36, stem: 64, dropRate: 0.2),
        _ => throw new ArgumentException($"no TorchSharp twin for model '{name}'"),
    };

    private static Module<TorchTensor, TorchTensor> Vgg11Cifar()
    {
        var layers = new List<Module<TorchTensor, TorchTensor>>();
        long c = 3;
        foreach (int v in new[] { 64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0 })
        {
            if (v == 0)
            {
                layers.Add(MaxPool2d(2, 2, ceil_mode: true));
                continue;
            }
            layers.AddRange([Conv2d(c, v, 3, padding: 1), BatchNorm2d(v), ReLU()]);
            c = v;
        }
        layers.AddRange([AdaptiveAvgPool2d(1), Flatten(), Linear(512, 10)]);
        return Sequential(layers.ToArray());
    }

    private static Module<TorchTensor, TorchTensor> NetworkInNetwork()
    {
        static IEnumerable<Module<TorchTensor, TorchTensor>> MlpConv(long i, long c1, long c2, long c3, long k) =>
            [Conv2d(i, c1, k, padding: k / 2), ReLU(), Conv2d(c1, c2, 1), ReLU(), Conv2d(c2, c3, 1), ReLU()];
        var layers = new List<Module<TorchTensor, TorchTensor>>();
        layers.AddRange(MlpConv(3, 192, 160, 96, 5));
        layers.AddRange([MaxPool2d(3, 2, ceil_mode: true), Dropout(0.5)]);
        layers.AddRange(MlpConv(96, 192, 192, 192, 5));
        layers.AddRange([AvgPool2d(3, 2, ceil_mode: true), Dropout(0.5)]);
        layers.AddRange(MlpConv(192, 192, 192, 10, 3));
        layers.AddRange([AdaptiveAvgPool2d(1), Flatten()]);
        return Sequential(layers.ToArray());
    }

    /// <summary>CReluNet, half filters: eight conv + BN + CReLU layers (channels doubled by the concatenation), pools, 1×1 head.</summary>
    private static Module<TorchTensor, TorchTensor> CReluHalf()
    {
        var layers = new List<Module<TorchTensor, TorchTensor>>();
        long c = 3;
        var hidden = new (int Kernel, int Filters, int Padding, bool PoolAfter)[]
        {
            (3, 96, 1, false), (3, 96, 1, false), (3, 96, 1, true), (3, 192, 1, false), (3, 192, 1, false), (3, 192, 1, true),
            (3, 192, 0, false), (1, 192, 0, false),
        };
        foreach (var (k, filters, pad, poolAfter) in hidden)
        {
            int half = filters / 2;
            layers.AddRange([Conv2d(c, half, k, padding: pad, bias: false), BatchNorm2d(half), new CReLU()]);
            c = 2 * half;
            if (poolAfter) layers.AddRange([MaxPool2d(3, 2, 1), Dropout(0.5)]);
        }
        layers.AddRange([Conv2d(c, 10, 1), AdaptiveAvgPool2d(1), Flatten()]);
        return Sequential(layers.ToArray());
    }

    private sealed class CReLU() : Module<TorchTensor, TorchTensor>("CReLU")
    {
        public override TorchTensor forward(TorchTensor x) => torch.cat([x.relu(), x.neg().relu()], 1);
    }

    /// <summary>
    /// DenseNet-BC for CIFAR: 3×3 stem to 2k, three dense blocks of bottleneck layers (BN-ReLU-1×1 to 4k, BN-ReLU-3×3 to
    /// k, each on the concatenation of all earlier features), transitions halving the channels with an average pool,
    /// then BN, ReLU, global mean and a linear classifier.
    /// </summary>
    private sealed class DenseNetBC : Module<TorchTensor, TorchTensor>
    {
        private readonly Module<TorchTensor, TorchTensor> _stem, _norm, _classifier;
        private readonly TorchSharp.Modules.ModuleList<Module<TorchTensor, TorchTensor>> _layers = new(), _transitions = new();
        private readonly int _blockLayers;

        public DenseNetBC(int blockLayers, int growth) : base("DenseNetBC")
        {
            _blockLayers = blockLayers;
            int channels = 2 * growth;
            _stem = Conv2d(3, channels, 3, padding: 1, bias: false);
            for (int b = 0; b < 3; b++)
            {
                for (int i = 0; i < blockLayers; i++)
                {
                    int c = channels + i * growth;
                    _layers.Add(Sequential(BatchNorm2d(c), ReLU(), Conv2d(c, 4 * growth, 1, bias: false),
                                           BatchNorm2d(4 * growth), ReLU(), Conv2d(4 * growth, growth, 3, padding: 1, bias: false)));
                }
                channels += blockLayers * growth;
                if (b == 2) break;
                int outChannels = channels / 2;
                _transitions.Add(Sequential(BatchNorm2d(channels), ReLU(), Conv2d(channels, outChannels, 1, bias: false), AvgPool2d(2, 2)));
                channels = outChannels;
            }
            _norm = BatchNorm2d(channels);
            _classifier = Linear(channels, 10);
            RegisterComponents();
        }

        public override TorchTensor forward(TorchTensor x)
        {
            x = _stem.forward(x);
            for (int b = 0; b < 3; b++)
            {
                var features = new List<TorchTensor> { x };
                for (int i = 0; i < _blockLayers; i++)
                    features.Add(_layers[b * _blockLayers + i].forward(features.Count == 1 ? x : torch.cat(features, 1)));
                x = torch.cat(features, 1);
                if (b < 2) x = _transitions[b].forward(x);
            }
            return _classifier.forward(_norm.forward(x).relu().mean([2, 3]));
        }
    }

    /// <summary>Tensorlet's ResNet with a CIFAR stem (3×3 conv, no max-pool), three stages and a linear classifier.</summary>
    private sealed class CifarResNet : Module<TorchTensor, TorchTensor>
    {
        private readonly Module<TorchTensor, TorchTensor> _stem, _stages, _fc;

        public CifarResNet(bool bottleneck, int[] planes, int stem, int blocks, bool shortcutA, int groups, int width, int se) : base("CifarResNet")
        {
            _stem = Sequential(Conv2d(3, stem, 3, 1, 1, bias: false), BatchNorm2d(stem), ReLU());
            var stages = new List<Module<TorchTensor, TorchTensor>>();
            int inPlanes = stem;
            for (int s = 0; s < planes.Length; s++)
                for (int b = 0; b < blocks; b++)
                {
                    int stride = s > 0 && b == 0 ? 2 : 1, outChannels = planes[s] * (bottleneck ? 4 : 1);
                    Module<TorchTensor, TorchTensor>? shortcut = null;
                    if (stride != 1 || inPlanes != outChannels)
                        shortcut = shortcutA
                            ? new ZeroPadShortcut(inPlanes, outChannels, stride)
                            : Sequential(Conv2d(inPlanes, outChannels, 1, stride, bias: false), BatchNorm2d(outChannels));
                    stages.Add(new Block(bottleneck, inPlanes, planes[s], stride, groups, width, se, shortcut));
                    inPlanes = outChannels;
                }
            _stages = Sequential(stages.ToArray());
            _fc = Sequential(AdaptiveAvgPool2d(1), Flatten(), Linear(inPlanes, 10));
            RegisterComponents();
        }

        public override TorchTensor forward(TorchTensor x) => _fc.forward(_stages.forward(_stem.forward(x)));
    }

    /// <summary>Basic block or bottleneck, optional squeeze-excitation on the branch, then add and ReLU.</summary>
    private sealed class Block : Module<TorchTensor, TorchTensor>
    {
        private readonly Module<TorchTensor, TorchTensor> _branch;
        private readonly Module<TorchTensor, TorchTensor>? _se, _shortcut;

        public Block(bool bottleneck, int inPlanes, int planes, int stride, int groups, int width, int se,
                     Module<TorchTensor, TorchTensor>? shortcut) : base("Block")
        {
            int inner = planes * width / 64 * groups, outChannels = planes * (bottleneck ? 4 : 1);
            _branch = bottleneck
                ? Sequential(Conv2d(inPlanes, inner, 1, bias: false), BatchNorm2d(inner), ReLU(),
                             Conv2d(inner, inner, 3, stride, 1, groups: groups, bias: false), BatchNorm2d(inner), ReLU(),
                             Conv2d(inner, outChannels, 1, bias: false), BatchNorm2d(outChannels))
                : Sequential(Conv2d(inPlanes, planes, 3, stride, 1, bias: false), BatchNorm2d(planes), ReLU(),
                             Conv2d(planes, planes, 3, 1, 1, bias: false), BatchNorm2d(planes));
            if (se > 0) _se = new SqueezeExcitation(outChannels, Math.Max(1, outChannels / se));
            _shortcut = shortcut;
            RegisterComponents();
        }

        public override TorchTensor forward(TorchTensor x)
        {
            var branch = _branch.forward(x);
            if (_se is not null) branch = _se.forward(branch);
            return (branch + (_shortcut is null ? x : _shortcut.forward(x))).relu();
        }
    }

    private sealed class SqueezeExcitation : Module<TorchTensor, TorchTensor>
    {
        private readonly Module<TorchTensor, TorchTensor> _fc1, _fc2;

        public SqueezeExcitation(int channels, int hidden) : base("SqueezeExcitation")
        {
            _fc1 = Conv2d(channels, hidden, 1);
            _fc2 = Conv2d(hidden, channels, 1);
            RegisterComponents();
        }

        public override TorchTensor forward(TorchTensor x) =>
            x * _fc2.forward(_fc1.forward(x.mean([2, 3], keepdim: true)).relu()).sigmoid();
    }

    /// <summary>Option A shortcut: subsample by the stride, pad the channels with zeros on both sides.</summary>
    private sealed class ZeroPadShortcut(int inChannels, int outChannels, int stride) : Module<TorchTensor, TorchTensor>("ZeroPadShortcut")
    {
        public override TorchTensor forward(TorchTensor x)
        {
            var sub = stride == 1 ? x : x[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)];
            int extra = outChannels - inChannels, before = extra / 2;
            return extra == 0 ? sub : nn.functional.pad(sub, [0, 0, 0, 0, before, extra - before]);
        }
    }

    /// <summary>
    /// For every whole model with a twin: both engines' parameter counts, and the twin's output shape on two images;
    /// 0 when all agree. No timing, so both engines may share this process.
    /// </summary>
    public static int CheckAgainstTensorlet()
    {
        bool ok = true;
        foreach (string name in BenchModels.Names.Where(Has))
        {
            using var model = Create(name);
            model.eval();
            long theirs = Parameters(model), ours = BenchModels.Parameters(name);
            long[] shape;
            using (torch.no_grad())
            using (var logits = model.forward(torch.rand([2, 3, 32, 32]))) shape = logits.shape;
            bool agree = theirs == ours && shape.SequenceEqual(new long[] { 2, 10 });
            ok &= agree;
            Console.WriteLine($"{name}: parameters Tensorlet {ours:N0}, libtorch {theirs:N0}; libtorch output [{string.Join(", ", shape)}] " +
                              (agree ? "OK" : "MISMATCH"));
        }
        foreach (string name in BenchModels.Names.Where(n => !Has(n))) Console.WriteLine($"{name}: no TorchSharp twin");
        return ok ? 0 : 1;
    }

    /// <summary>Learnable parameters, as Tensorlet counts them (running statistics are buffers, not parameters).</summary>
    public static long Parameters(Module<TorchTensor, TorchTensor> model) => model.parameters().Sum(p => p.numel());

    /// <summary>
    /// Builds <paramref name="spec"/>'s model, optimizer and batch; the function runs one training step (SGD with
    /// momentum, cross-entropy) or one eval-mode inference without a graph, like <see cref="BenchModels.Step"/>.
    /// </summary>
    public static (Func<TorchTensor> Step, long Parameters, List<IDisposable> Owned) Step(ModelSpec spec)
    {
        var model = Create(spec.Model);
        var images = torch.rand([spec.Batch, spec.Channels, spec.Side, spec.Side]);
        var labels = torch.tensor(Enumerable.Range(0, spec.Batch).Select(i => (long)(i % 10)).ToArray());
        var owned = new List<IDisposable> { model, images, labels };
        long parameters = Parameters(model);
        if (!spec.Training)
        {
            model.eval();
            return (() =>
            {
                using (torch.no_grad()) return model.forward(images);
            }, parameters, owned);
        }
        model.train();
        var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        owned.Add(optimizer);
        return (() =>
        {
            var loss = nn.functional.cross_entropy(model.forward(images), labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            return loss;
        }, parameters, owned);
    }
}
