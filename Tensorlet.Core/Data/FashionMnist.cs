namespace Tensorlet.Data;

/// <summary>
/// Fashion-MNIST (Zalando, MIT licence): 28 × 28 grey images of clothing in ten classes,
/// 60,000 for training and 10,000 for testing, in IDX files. Loads the full set from a directory,
/// or a class-balanced sample of 6,000 / 1,000 images embedded in this assembly.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the full set.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Prefix of the embedded sample's resource names; the file name follows it.</summary>
    public const string SampleResourcePrefix = "Tensorlet.Data.Samples.FashionMnist.";

    /// <summary>The path value that asks <see cref="Resolve(string?)"/> for the embedded sample explicitly.</summary>
    public const string SampleKeyword = "sample";

    public const int Height = 28;
    public const int Width = 28;

    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>Base name of the images file of a split, without the optional ".gz".</summary>
    public static string ImagesFileName(bool train) => (train ? "train" : "t10k") + "-images-idx3-ubyte";

    /// <summary>Base name of the labels file of a split, without the optional ".gz".</summary>
    public static string LabelsFileName(bool train) => (train ? "train" : "t10k") + "-labels-idx1-ubyte";

    /// <summary>Full names of the embedded sample resources of a split (images, labels).</summary>
    public static (string Images, string Labels) SampleResourceNames(bool train) =>
        (SampleResourcePrefix + ImagesFileName(train) + ".gz", SampleResourcePrefix + LabelsFileName(train) + ".gz");

    /// <summary>Loads a split from <paramref name="directory"/>, taking each file raw or gzipped.</summary>
    public static ImageDataset Load(string directory, bool train)
    {
        string imagesPath = FindFile(directory, ImagesFileName(train)) ?? throw Missing(directory, [ImagesFileName(train)]);
        string labelsPath = FindFile(directory, LabelsFileName(train)) ?? throw Missing(directory, [LabelsFileName(train)]);
        var images = IdxReader.ReadImages(imagesPath);
        byte[] labels = IdxReader.ReadLabels(labelsPath, ClassNames.Count);
        return Build($"Fashion-MNIST {SplitName(train)} ({directory})", images, imagesPath, labels, labelsPath);
    }

    /// <summary>Loads a split of the sample embedded in Tensorlet.Core (600 / 100 images per class).</summary>
    public static ImageDataset LoadSample(bool train)
    {
        var (imagesName, labelsName) = SampleResourceNames(train);
        IdxImages images;
        byte[] labels;
        using (var stream = OpenResource(imagesName))
        {
            images = IdxReader.ReadImages(stream, imagesName);
        }
        using (var stream = OpenResource(labelsName))
        {
            labels = IdxReader.ReadLabels(stream, labelsName, ClassNames.Count);
        }
        return Build($"Fashion-MNIST {SplitName(train)} (embedded sample)", images, imagesName, labels, labelsName);
    }

    /// <summary>
    /// Chooses where to load from: the embedded sample when <paramref name="path"/> is "sample", the directory
    /// <paramref name="path"/> when given (all four files must be there),
    /// else the full set in <see cref="DefaultDirectory"/> when complete, else the embedded sample.
    /// The result says which was chosen. An empty or blank <paramref name="path"/> is an error, not "no path":
    /// <c>--data ""</c> is usually an unset variable, and silently training on the sample would hide it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or only white space.</exception>
    public static FashionMnistSource Resolve(string? path) => Resolve(path, DefaultDirectory);

    internal static FashionMnistSource Resolve(string? path, string defaultDirectory)
    {
        if (path is not null && string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException(
                $"The Fashion-MNIST path is empty ('{path}'): pass a directory, '{SampleKeyword}' for the embedded sample, or no path for the default.",
                nameof(path));
        }
        if (string.Equals(path, SampleKeyword, StringComparison.OrdinalIgnoreCase) && !Directory.Exists(path))
        {
            return new FashionMnistSource(DataOrigin.EmbeddedSample, null);
        }
        if (!string.IsNullOrEmpty(path))
        {
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException(
                    $"Fashion-MNIST directory '{path}' does not exist (expected a folder holding {string.Join(", ", AllFileNames())}, each raw or .gz).");
            }
            var missing = MissingFiles(path);
            if (missing.Count > 0)
            {
                throw Missing(path, missing);
            }
            return new FashionMnistSource(DataOrigin.GivenDirectory, path);
        }
        if (Directory.Exists(defaultDirectory) && MissingFiles(defaultDirectory).Count == 0)
        {
            return new FashionMnistSource(DataOrigin.InstalledDirectory, defaultDirectory);
        }
        return new FashionMnistSource(DataOrigin.EmbeddedSample, null);
    }

    /// <summary>Base names of the four files that <paramref name="directory"/> lacks (in neither raw nor gzip form).</summary>
    public static IReadOnlyList<string> MissingFiles(string directory) =>
        AllFileNames().Where(name => FindFile(directory, name) is null).ToList();

    private static IEnumerable<string> AllFileNames() =>
        [ImagesFileName(true), LabelsFileName(true), ImagesFileName(false), LabelsFileName(false)];

    /// <summary>The raw file wins over the .gz when both exist: same content, no decompression.</summary>
    private static string? FindFile(string directory, string baseName)
    {
        string raw = Path.Combine(directory, baseName);
        if (File.Exists(raw))
        {
            return raw;
        }
        string gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    private static FileNotFoundException Missing(string directory, IReadOnlyList<string> baseNames) =>
        new($"Fashion-MNIST files missing in '{directory}': {string.Join(", ", baseNames.Select(n => n + "(.gz)"))}.",
            Path.Combine(directory, baseNames[0]));

    private static Stream OpenResource(string name) =>
        typeof(FashionMnist).Assembly.GetManifestResourceStream(name)
        ?? throw new FileNotFoundException($"Embedded resource '{name}' is missing from {typeof(FashionMnist).Assembly.GetName().Name}.", name);

    private static string SplitName(bool train) => train ? "train" : "test";

    private static ImageDataset Build(string name, IdxImages images, string imagesName, byte[] labels, string labelsName)
    {
        if (labels.Length != images.Count)
        {
            // Offset 4 is where both files store their item count.
            throw DataFormatError.Create(labelsName, 4,
                $"label count: expected {images.Count} (the image count of {imagesName}), found {labels.Length}");
        }
        if (images.Rows != Height || images.Cols != Width)
        {
            throw DataFormatError.Create(imagesName, 8,
                $"image size: expected {Height} × {Width}, found {images.Rows} × {images.Cols}");
        }
        var pixels = new float[images.Pixels.Length];
        ImageDataset.ScaleToUnit(images.Pixels, pixels);
        return new ImageDataset(name, pixels, Array.ConvertAll(labels, l => (int)l), 1, Height, Width, ClassNames);
    }
}
