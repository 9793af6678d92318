namespace Tensorlet.Data;

/// <summary>Which of the two CIFAR-100 labels becomes <see cref="ImageDataset.Labels"/>.</summary>
public enum Cifar100Labels
{
    /// <summary>The 100 classes.</summary>
    Fine,

    /// <summary>The 20 superclasses.</summary>
    Coarse,
}

/// <summary>
/// CIFAR-100 in its binary form (cifar-100-binary.tar.gz): 32 × 32 colour images, train.bin
/// (50,000) and test.bin (10,000), each record 1 coarse label byte + 1 fine label byte + 3,072 pixel bytes.
/// </summary>
public static class Cifar100
{
    /// <summary>The folder the official archive unpacks to; <see cref="Load"/> also looks there.</summary>
    public const string ArchiveFolder = "cifar-100-binary";

    // Both labels are range-checked whichever is used, so a damaged file never passes.
    private static readonly CifarFormat Format = new("CIFAR-100", [new("coarse label", 20), new("fine label", 100)]);

    public static IReadOnlyList<string> FineClassNames { get; } =
    [
        "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
        "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
        "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
        "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
        "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
        "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
        "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
        "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
        "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
        "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm",
    ];

    public static IReadOnlyList<string> CoarseClassNames { get; } =
    [
        "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
        "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
        "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
        "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees",
        "vehicles_1", "vehicles_2",
    ];

    /// <summary>train.bin for training, test.bin for testing.</summary>
    public static string FileName(bool train) => train ? "train.bin" : "test.bin";

    /// <summary>Loads a split from <paramref name="directory"/> or its <see cref="ArchiveFolder"/> subfolder.</summary>
    public static ImageDataset Load(string directory, bool train, Cifar100Labels labels = Cifar100Labels.Fine)
    {
        var paths = CifarReader.FindFiles(directory, ArchiveFolder, [FileName(train)], "CIFAR-100");
        return Read($"CIFAR-100 {(train ? "train" : "test")} ({directory})", paths, labels);
    }

    /// <summary>Reads the given files, in order, into one dataset.</summary>
    public static ImageDataset Read(string name, IReadOnlyList<string> paths, Cifar100Labels labels = Cifar100Labels.Fine) =>
        labels == Cifar100Labels.Fine
            ? CifarReader.Read(name, paths, Format, labelField: 1, FineClassNames)
            : CifarReader.Read(name, paths, Format, labelField: 0, CoarseClassNames);
}
