using Tensorlet.Cli.Training;
using Tensorlet.Data;
using Tensorlet.IO;
using Tensorlet.NN;

namespace Tensorlet.Cli.Visualize;

/// <summary>
/// A model rebuilt from a checkpoint written by <c>tensorlet train</c>, in eval mode, with the name it was trained
/// under — what the picture commands draw from — and the test images it can be shown.
/// </summary>
internal sealed class CheckpointModel : IDisposable
{
    private CheckpointModel(Module model, string kind, string path)
    {
        Model = model;
        Kind = kind;
        Path = path;
    }

    public Module Model { get; }

    /// <summary>The <c>--model</c> name of the run, e.g. "cnn".</summary>
    public string Kind { get; }

    public string Path { get; }

    public static CheckpointModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.");
        var model = RunSetup.ModelFromCheckpoint(path);
        try
        {
            Checkpoint.Load(path, model);
            model.Eval();
            string kind = SafeTensors.ReadHeader(path).Metadata["user.model"];
            return new CheckpointModel(model, kind, path);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Test image <paramref name="index"/> of the data set (<c>--data</c>, as for <c>tensorlet eval</c>) as a batch of one
    /// [1, C, H, W], with its class name; an index outside the test set is refused naming the valid range.
    /// </summary>
    public (Tensor Image, string ClassName) TestImage(string? data, int index)
    {
        var source = FashionMnist.Resolve(data);
        var test = source.Load(train: false);
        if (index < 0 || index >= test.Count)
            throw new ArgumentException(
                $"--image {index} is out of range: {test.Name} has {test.Count} images, so --image must be 0 to {test.Count - 1}.");
        var image = Tensor.FromArray(test.Image(index), [1, test.Channels, test.Height, test.Width]);
        return (image, test.ClassNames[test.Labels[index]]);
    }

    public void Dispose() => Model.Dispose();
}
