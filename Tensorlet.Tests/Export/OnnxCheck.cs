using Microsoft.ML.OnnxRuntime;
using Tensorlet.NN;

namespace Tensorlet.Tests.Export;

/// <summary>
/// Runs an exported ONNX file in ONNX Runtime and compares it with Tensorlet's eval-mode output. The error norm is
/// max |onnx − tensorlet| / max(max |tensorlet|, 1e-3): relative to the largest logit, so it does not blow up on logits
/// near zero, and absolute (1e-3 scale) when every logit is tiny.
/// </summary>
internal static class OnnxCheck
{
    /// <summary>The tolerance the issue sets for every exported model.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>The output of the ONNX model at <paramref name="path"/> for <paramref name="input"/> (any batch size).</summary>
    public static float[] Run(string path, Tensor input)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input.ToArray(), input.Shape.Select(d => (long)d).ToArray());
        using var run = new RunOptions();
        using var outputs = session.Run(run, ["input"], [value], ["output"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Tensorlet's eval-mode output for <paramref name="input"/>, without a graph.</summary>
    public static float[] Reference(Module model, Tensor input)
    {
        model.Eval();
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        return model.Call(input).ToArray();
    }

    /// <summary>The error norm of the class summary.</summary>
    public static double RelativeError(float[] actual, float[] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), "ONNX and Tensorlet outputs differ in size");
        double maxDiff = 0, scale = 1e-3;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return maxDiff / scale;
    }

    /// <summary>
    /// Gives every batch norm of <paramref name="model"/> random affine parameters and running statistics (variances
    /// from 0.05 to 2.7), so the exported graph must use the running statistics and eps exactly as Tensorlet does.
    /// </summary>
    public static void RandomizeBatchNorms(Module model, ulong seed)
    {
        var gen = new Generator(seed);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        foreach (var (_, m) in model.NamedModules())
        {
            if (m is not BatchNormBase bn) continue;
            int c = bn.NumFeatures;
            bn.Weight?.CopyFrom(Tensor.Rand([c], gen).Add(0.5f));
            bn.Bias?.CopyFrom(Tensor.Randn([c], gen).Mul(0.2f));
            bn.RunningMean!.CopyFrom(Tensor.Randn([c], gen).Mul(0.2f));
            bn.RunningVar!.CopyFrom(Tensor.Rand([c], gen).Mul(4f).Sub(3f).Exp());
        }
    }

    /// <summary>Exports <paramref name="model"/>, runs it in ONNX Runtime on a seeded batch and returns the error norm.</summary>
    public static double ExportAndCompare(Module model, int[] inputShape, string path, ulong seed = 7)
    {
        model.ExportOnnx(path, inputShape);
        using var input = Tensor.Randn(inputShape, new Generator(seed));
        Assert.That(File.Exists(path), Is.True, $"{path} was not written");
        var expected = Reference(model, input);
        Assert.That(expected.All(float.IsFinite), Is.True, "Tensorlet's output is not finite");
        return RelativeError(Run(path, input), expected);
    }
}
