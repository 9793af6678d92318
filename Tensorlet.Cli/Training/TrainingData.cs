using Tensorlet.Data;

namespace Tensorlet.Cli.Training;

/// <summary>
/// Finds and loads the data behind <c>--data</c>/<c>--dataset</c>: Fashion-MNIST or other IDX files (the default, with
/// the embedded sample), CIFAR-10 or CIFAR-100 binary batches, or an image folder (<c>train/&lt;class&gt;/...</c>,
/// <c>test/&lt;class&gt;/...</c>). <c>auto</c> tells them apart by their files.
/// </summary>
internal static class TrainingData
{
    /// <summary>
    /// The dataset kind to read: <paramref name="dataset"/> when it names one, else the kind whose files
    /// <paramref name="data"/> holds. No directory (or "sample") means Fashion-MNIST, as before datasets could be chosen.
    /// </summary>
    public static string Kind(string? data, string dataset)
    {
        string kind = dataset.ToLowerInvariant() is "idx" ? "fashion-mnist" : dataset.ToLowerInvariant();
        bool sample = data is null || string.Equals(data, FashionMnist.SampleKeyword, StringComparison.OrdinalIgnoreCase) && !Directory.Exists(data);
        if (kind != "auto")
        {
            if (sample && kind != "fashion-mnist")
                throw new ArgumentException($"--dataset {dataset} needs --data DIR, the folder that holds it.");
            return kind;
        }
        if (sample || string.IsNullOrWhiteSpace(data)) return "fashion-mnist"; // FashionMnist.Resolve reports a blank path
        if (!Directory.Exists(data)) throw new DirectoryNotFoundException($"--data {data}: the directory does not exist.");
        if (Has(data, Cifar10.ArchiveFolder, Cifar10.FileNames(train: true)[0])) return "cifar10";
        if (Has(data, Cifar100.ArchiveFolder, Cifar100.FileName(train: true))) return "cifar100";
        if (ImageFolder.IsImageFolder(data)) return "folder";
        if (FashionMnist.MissingFiles(data).Count < 4) return "fashion-mnist";
        throw new InvalidDataException(
            $"--data {data}: no dataset found there. Expected CIFAR-10 batches (data_batch_1.bin ... test_batch.bin), CIFAR-100 " +
            $"(train.bin, test.bin), IDX files ({FashionMnist.ImagesFileName(true)}, ...) or an image folder " +
            $"({ImageFolder.TrainFolder}/<class>/<picture>, {ImageFolder.TestFolder}/<class>/<picture>); or name the kind with --dataset.");
    }

    /// <summary>
    /// The kind <c>eval</c> reads: as <see cref="Kind"/>, except that without <c>--data</c> a checkpoint trained on
    /// anything but Fashion-MNIST (<paramref name="trainedOn"/>) asks for the directory instead of using the sample.
    /// </summary>
    public static string EvalKind(string? data, string dataset, string trainedOn, string checkpoint)
    {
        if (data is null && dataset.ToLowerInvariant() == "auto" && trainedOn != "fashion-mnist")
            throw new ArgumentException($"{checkpoint} was trained on {trainedOn} data: give its directory with --data DIR.");
        return Kind(data, dataset);
    }

    /// <summary>
    /// Loads one split. <paramref name="input"/> is [C, H, W] for image folders, whose pictures have no size of their own
    /// (the model's input); the other kinds have a fixed shape and ignore it.
    /// </summary>
    public static ImageDataset Load(string kind, string? data, bool train, int[] input) => kind switch
    {
        "fashion-mnist" => FashionMnist.Resolve(data).Load(train),
        "cifar10" => Cifar10.Load(data!, train),
        "cifar100" => Cifar100.Load(data!, train),
        "folder" => ImageFolder.Load(data!, train, input[0], input[1], input[2]),
        _ => throw new ArgumentException($"Unknown dataset kind '{kind}'."),
    };

    /// <summary>One line naming what was read, for the run's header.</summary>
    public static string Describe(string kind, string? data) => kind switch
    {
        "fashion-mnist" => FashionMnist.Resolve(data).Description,
        "cifar10" => $"CIFAR-10 from {data}",
        "cifar100" => $"CIFAR-100 (fine labels) from {data}",
        _ => $"image folder {data}",
    };

    /// <summary>
    /// The transforms of training batches (augmentation, then normalisation, as torchvision composes them) and of
    /// evaluation batches (normalisation only).
    /// </summary>
    public static (ITransform[] Train, ITransform[] Eval) Transforms(IReadOnlyList<string> augment, float[]? mean, float[]? std)
    {
        var normalize = mean is null ? Array.Empty<ITransform>() : [new Normalize(mean, std!)];
        var steps = augment.Select(s => s == "crop" ? (ITransform)new RandomCrop(DataSettings.CropPadding) : new RandomHorizontalFlip()).ToList();
        return ([.. steps, .. normalize], normalize);
    }

    /// <summary>
    /// The per-channel mean and std to normalise with: <c>--mean</c>/<c>--std</c> when given, those of the training set
    /// for <c>--normalize auto</c> (the default for CIFAR and image folders), none for <c>--normalize none</c> (the
    /// default for IDX data, whose runs stay as they were).
    /// </summary>
    public static (float[]? Mean, float[]? Std) Normalization(DataSettings settings, string kind, ImageDataset train)
    {
        var mean = DataSettings.Values("--mean", settings.Mean);
        var std = DataSettings.Values("--std", settings.Std);
        if (mean is not null)
        {
            if (mean.Length != train.Channels || std!.Length != train.Channels)
                throw new ArgumentException($"--mean has {mean.Length} values and --std {std!.Length}; {train.Name} has {train.Channels} channel(s), give one value each.");
            return (mean, std);
        }
        string mode = settings.Normalize?.ToLowerInvariant() ?? (kind == "fashion-mnist" ? "none" : "auto");
        if (mode == "none") return (null, null);
        var (m, s) = ChannelStatistics.Compute(train);
        return (m, s);
    }

    private static bool Has(string directory, string subfolder, string file) =>
        File.Exists(Path.Combine(directory, file)) || File.Exists(Path.Combine(directory, subfolder, file));
}
