using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>
/// Tensorlet's CliqueNet (no attention, bottleneck or compression) in TorchSharp: three clique blocks whose layers are
/// updated twice — Stage I from the block input and the layers already computed, Stage II from all other layers, the
/// earlier ones already refined — each update one convolution of the concatenated sources with the stacked weights
/// W(l→i), as Tensorlet computes it; after each block its input and Stage II are pooled into the classifier's features.
/// </summary>
internal sealed class TorchCliqueNet : Module<TorchTensor, TorchTensor>
{
    private readonly Module<TorchTensor, TorchTensor> _stem, _classifier;
    private readonly TorchSharp.Modules.ModuleList<Module<TorchTensor, TorchTensor>> _blocks = new(), _transitions = new(), _pools = new();

    public TorchCliqueNet(int layersPerBlock, int growth, int stem, double dropRate) : base("CliqueNet")
    {
        _stem = Conv2d(3, stem, 3, padding: 1, bias: false);
        int channels = stem, features = 0;
        for (int b = 0; b < 3; b++)
        {
            _blocks.Add(new Block(channels, layersPerBlock, growth, dropRate));
            int blockOut = layersPerBlock * growth, blockFeature = channels + blockOut;
            _pools.Add(Sequential(BatchNorm2d(blockFeature), ReLU(), AdaptiveAvgPool2d(1), Flatten()));
            features += blockFeature;
            if (b == 2) break;
            _transitions.Add(Sequential(BatchNorm2d(blockOut), ReLU(), Conv2d(blockOut, blockOut, 1, bias: false), Dropout(dropRate), AvgPool2d(2, 2)));
            channels = blockOut;
        }
        _classifier = Linear(features, 10);
        RegisterComponents();
    }

    public override TorchTensor forward(TorchTensor input)
    {
        var x = _stem.forward(input);
        var pooled = new List<TorchTensor>();
        for (int b = 0; b < 3; b++)
        {
            var stage2 = _blocks[b].forward(x);
            pooled.Add(_pools[b].forward(torch.cat([x, stage2], 1)));
            if (b < 2) x = _transitions[b].forward(stage2);
        }
        return _classifier.forward(torch.cat(pooled, 1));
    }

    private sealed class Block : Module<TorchTensor, TorchTensor>
    {
        private readonly int _layers;
        private readonly TorchSharp.Modules.ModuleList<Module<TorchTensor, TorchTensor>> _w = new(), _norm1 = new(), _norm2 = new();
        private readonly Dictionary<(int From, int To), int> _index = new();
        private readonly Module<TorchTensor, TorchTensor> _drop;

        public Block(int inChannels, int layers, int growth, double dropRate) : base("CliqueBlock")
        {
            _layers = layers;
            for (int i = 1; i <= layers; i++)
                for (int l = 0; l <= layers; l++)
                    if (l != i)
                    {
                        _index[(l, i)] = _w.Count;
                        _w.Add(Conv2d(l == 0 ? inChannels : growth, growth, 3, padding: 1, bias: false));
                    }
            for (int i = 1; i <= layers; i++)
            {
                _norm1.Add(BatchNorm2d(inChannels + (i - 1) * growth));
                _norm2.Add(BatchNorm2d((layers - 1) * growth));
            }
            _drop = Dropout(dropRate);
            RegisterComponents();
        }

        public override TorchTensor forward(TorchTensor input)
        {
            int n = _layers;
            var x = new TorchTensor[n + 1];
            x[0] = input;
            for (int i = 1; i <= n; i++) x[i] = Update(i, Enumerable.Range(0, i).ToArray(), x, _norm1[i - 1]);
            for (int i = 1; i <= n; i++) x[i] = Update(i, Enumerable.Range(1, n).Where(l => l != i).ToArray(), x, _norm2[i - 1]);
            return torch.cat(x[1..], 1);
        }

        private TorchTensor Update(int i, int[] sources, TorchTensor[] x, Module<TorchTensor, TorchTensor> norm)
        {
            var h = norm.forward(sources.Length == 1 ? x[sources[0]] : torch.cat(sources.Select(l => x[l]).ToArray(), 1)).relu();
            var weights = sources.Select(l => ((TorchSharp.Modules.Conv2d)_w[_index[(l, i)]]).weight!).ToArray();
            var weight = weights.Length == 1 ? weights[0] : torch.cat(weights, 1);
            return _drop.forward(nn.functional.conv2d(h, weight, padding: [1, 1]));
        }
    }
}
