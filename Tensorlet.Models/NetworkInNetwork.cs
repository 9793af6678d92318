using Tensorlet.NN;

namespace Tensorlet.Models;

/// <summary>
/// Network in Network (Lin, Chen &amp; Yan, ICLR 2014): stacks of "mlpconv" blocks — a k×k convolution followed by two
/// 1×1 convolutions, each with a ReLU — and global average pooling in place of fully connected layers: the last block
/// has as many output maps as classes, and their spatial means are the class scores.
/// <para>
/// <see cref="Cifar10"/> follows the authors' Caffe model for CIFAR-10: 192-160-96 (5×5, pad 2), max pool 3×3/2,
/// dropout 0.5, 192-192-192 (5×5, pad 2), average pool 3×3/2, dropout 0.5, 192-192-classes (3×3, pad 1), global average
/// pool. Caffe rounds pooled sizes up, so the pools use ceil mode: 32 → 16 → 8 (and 28 → 14 → 7). The global pool is
/// adaptive, so any input size ≥ 1 works. Like Caffe's model, the last 1×1 conv is followed by a ReLU too.
/// 966,986 parameters for 3 input channels and 10 classes.
/// </para>
/// Module names: <c>block1</c>/<c>block2</c>/<c>block3</c> (Sequentials of conv, ReLU, conv, ReLU, conv, ReLU),
/// <c>pool1</c>, <c>drop1</c>, <c>pool2</c>, <c>drop2</c>, <c>gap</c>.
/// </summary>
public sealed class NetworkInNetwork : LayerStack
{
    /// <summary>
    /// Three mlpconv blocks of widths <paramref name="widths"/>[b] = (k×k conv, 1×1, 1×1) and kernel sizes
    /// <paramref name="kernels"/>[b]; the last block's final width is replaced by <paramref name="numClasses"/>.
    /// </summary>
    public NetworkInNetwork(int[][] widths, int[] kernels, int numClasses = 10, int inChannels = 3, float dropout = 0.5f,
                            Generator? generator = null)
    {
        if (widths.Length != 3 || kernels.Length != 3 || widths.Any(w => w.Length != 3))
            throw new ArgumentException("NetworkInNetwork: expected three blocks of three widths and three kernel sizes.");
        if (numClasses <= 0) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "NetworkInNetwork: numClasses must be positive.");
        int c = inChannels;
        Sequential Block(int b, int outLast)
        {
            var block = MlpConv(c, widths[b][0], widths[b][1], outLast, kernels[b], generator);
            c = outLast;
            return block;
        }
        Add("block1", Block(0, widths[0][2]));
        Add("pool1", new MaxPool2d(3, 2, ceilMode: true));
        Add("drop1", new Dropout(dropout, generator));
        Add("block2", Block(1, widths[1][2]));
        Add("pool2", new AvgPool2d(3, 2, ceilMode: true));
        Add("drop2", new Dropout(dropout, generator));
        Add("block3", Block(2, numClasses));
        Add("gap", new AdaptiveAvgPool2d(1));
        InitializeWeights(generator ?? Generator.Default);
    }

    /// <summary>
    /// He-normal weights (fan in, ReLU gain) and zero biases for every convolution. Without batch norm, nine ReLU
    /// convolutions at PyTorch's default init (variance 1/(3·fan in)) shrink the signal about sixfold per layer, and the
    /// ReLU on the class maps then outputs zeros for every class: the network never starts learning. The authors' Caffe
    /// models draw weights from Gaussians of a fixed, hand-set deviation, tuned for their preprocessed inputs; He's rule
    /// gives a variance-preserving start for any width.
    /// </summary>
    private void InitializeWeights(Generator generator)
    {
        foreach (var (_, module) in NamedModules())
        {
            if (module is not Conv2d conv) continue;
            Init.KaimingNormal(conv.Weight, generator, mode: FanMode.FanIn, nonlinearity: "relu");
            using (GradMode.NoGrad()) conv.Bias?.ZeroInPlace();
        }
    }

    /// <summary>One mlpconv block: k×k conv (padding k/2, so the size is kept), then two 1×1 convs, each followed by ReLU.</summary>
    public static Sequential MlpConv(int inChannels, int c1, int c2, int c3, int kernel, Generator? generator = null) =>
        new(new Conv2d(inChannels, c1, kernel, padding: kernel / 2, generator: generator), new ReLU(),
            new Conv2d(c1, c2, 1, generator: generator), new ReLU(),
            new Conv2d(c2, c3, 1, generator: generator), new ReLU());

    /// <summary>The CIFAR-10 model of the paper (the authors' Caffe definition): 192-160-96 / 192-192-192 / 192-192-classes.</summary>
    public static NetworkInNetwork Cifar10(int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        new([[192, 160, 96], [192, 192, 192], [192, 192, 0]], [5, 5, 3], numClasses, inChannels, generator: generator);

    /// <summary>
    /// The CIFAR-10 model with every width divided by <paramref name="widthDivisor"/> (default 4: 48-40-24 / 48-48-48 /
    /// 48-48-classes) — same kernels, pools and dropout, for quick runs.
    /// </summary>
    public static NetworkInNetwork Cifar10Narrow(int widthDivisor = 4, int numClasses = 10, int inChannels = 3, Generator? generator = null,
                                                 float dropout = 0.5f)
    {
        if (widthDivisor <= 0 || 32 % widthDivisor != 0)
            throw new ArgumentOutOfRangeException(nameof(widthDivisor), widthDivisor, "NetworkInNetwork: widthDivisor must divide 32 (1, 2, 4, 8, ...).");
        int W(int w) => w / widthDivisor;
        return new([[W(192), W(160), W(96)], [W(192), W(192), W(192)], [W(192), W(192), 0]], [5, 5, 3], numClasses, inChannels,
                   dropout, generator);
    }
}
