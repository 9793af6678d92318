namespace Tensorlet.Data;

/// <summary>
/// CIFAR-10 in its binary form (cifar-10-binary.tar.gz): 32 × 32 colour images in ten classes,
/// five training batches of 10,000 and one test batch, each record 1 label byte + 3,072 pixel bytes.
/// </summary>
public static class Cifar10
{
    /// <summary>The folder the official archive unpacks to; <see cref="Load"/> also looks there.</summary>
    public const string ArchiveFolder = "cifar-10-batches-bin";

    private static readonly CifarFormat Format = new("CIFAR-10", [new("label", 10)]);

    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ];

    /// <summary>data_batch_1.bin … data_batch_5.bin for training, test_batch.bin for testing.</summary>
    public static IReadOnlyList<string> FileNames(bool train) =>
        train ? [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")] : ["test_batch.bin"];

    /// <summary>Loads a split from <paramref name="directory"/> or its <see cref="ArchiveFolder"/> subfolder.</summary>
    public static ImageDataset Load(string directory, bool train)
    {
        var paths = CifarReader.FindFiles(directory, ArchiveFolder, FileNames(train), "CIFAR-10");
        return Read($"CIFAR-10 {(train ? "train" : "test")} ({directory})", paths);
    }

    /// <summary>Reads the given batch files, in order, into one dataset.</summary>
    public static ImageDataset Read(string name, IReadOnlyList<string> paths) =>
        CifarReader.Read(name, paths, Format, labelField: 0, ClassNames);
}
