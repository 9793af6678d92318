using System.CommandLine;
using Tensorlet.Cli.Training;

namespace Tensorlet.Cli.Commands;

/// <summary>The data options <c>tensorlet train</c> adds beside <c>--data</c>, read into a <see cref="DataSettings"/>.</summary>
internal sealed class DataOptions
{
    /// <summary>What <c>--data</c> accepts, for the help of every command that reads a dataset.</summary>
    public const string DataDescription =
        "Dataset directory: IDX files (Fashion-MNIST), CIFAR-10/100 binary batches, or an image folder (train/<class>/*.png|jpg, test/<class>/...); " +
        "'sample' for the embedded Fashion-MNIST sample (default: the installed full set, else the sample)";

    public Option<string> Dataset { get; } = new Option<string>("--dataset")
    {
        Description = $"Dataset kind: {string.Join(", ", DataSettings.DatasetNames)} (auto: detected from the files in --data)",
        DefaultValueFactory = _ => "auto",
    }.Restrict("dataset", Choices.Datasets);

    public Option<string> Augment { get; } = new("--augment")
    {
        Description = $"Training augmentation: none, or a comma list of crop (random shifts by up to {DataSettings.CropPadding} pixels, zero-padded) and flip (random mirror)",
        DefaultValueFactory = _ => "none",
    };

    public Option<string?> Normalize { get; } = new("--normalize")
    {
        Description = "auto: normalise each channel by the training set's mean and std; none: keep pixels in [0, 1] (default: auto for CIFAR and image folders, none for IDX)",
    };

    public Option<string?> Mean { get; } = new("--mean") { Description = "Per-channel means to normalise with, comma-separated (e.g. 0.4914,0.4822,0.4465); needs --std" };

    public Option<string?> Std { get; } = new("--std") { Description = "Per-channel standard deviations, comma-separated (e.g. 0.247,0.243,0.261); needs --mean" };

    public Option<string?> ImageSize { get; } = new("--image-size") { Description = "Image folders: the size pictures are resized and centre-cropped to, SIDE or HxW (default: the model's input size)" };

    public IEnumerable<Option> All => [Dataset, Augment, Normalize, Mean, Std, ImageSize];

    public DataSettings Read(ParseResult r) =>
        new(r.GetValue(Dataset)!, r.GetValue(Augment)!, r.GetValue(Normalize), r.GetValue(Mean), r.GetValue(Std), r.GetValue(ImageSize));
}
