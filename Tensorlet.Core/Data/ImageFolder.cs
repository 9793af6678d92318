using System.Runtime.ExceptionServices;
using Tensorlet.Vision;

namespace Tensorlet.Data;

/// <summary>
/// A folder of labelled pictures in torchvision's ImageFolder layout: <c>ROOT/train/&lt;class&gt;/*.png|jpg|...</c> and
/// <c>ROOT/test/&lt;class&gt;/...</c>, one subfolder per class. Class indices follow the sorted folder names (ordinal,
/// as torchvision sorts them), and both splits must have the same classes. Each picture goes through an
/// <see cref="ImagePipeline"/> (channel conversion, resize and centre crop to the model's input), so the result is an
/// ordinary <see cref="ImageDataset"/> in [0, 1]. Hidden files (names starting with '.') are skipped; any other file
/// that is not a picture is an error naming it, rather than a silently smaller dataset.
/// </summary>
public static class ImageFolder
{
    public const string TrainFolder = "train", TestFolder = "test";

    /// <summary>Whether <paramref name="root"/> looks like an image folder: it has both a train and a test subfolder.</summary>
    public static bool IsImageFolder(string root) =>
        Directory.Exists(Path.Combine(root, TrainFolder)) && Directory.Exists(Path.Combine(root, TestFolder));

    /// <summary>
    /// Loads one split of <paramref name="root"/>, every picture converted to <paramref name="channels"/> channels and
    /// <paramref name="height"/> × <paramref name="width"/> pixels. The other split's class folders are checked too, so
    /// a train/test mismatch is caught whichever split is loaded first.
    /// </summary>
    public static ImageDataset Load(string root, bool train, int channels, int height, int width)
    {
        var classes = ClassNames(root);
        string split = train ? TrainFolder : TestFolder;
        var pipeline = new ImagePipeline(channels, height, width);
        var files = new List<(string Path, int Label)>();
        for (int label = 0; label < classes.Count; label++)
        {
            string folder = Path.Combine(root, split, classes[label]);
            var pictures = Directory.EnumerateFiles(folder)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (pictures.Count == 0)
                throw new InvalidDataException($"Image folder class '{classes[label]}' is empty: '{folder}' holds no pictures.");
            foreach (var file in pictures)
            {
                if (!ImageDecoder.IsImageFile(file))
                    throw new InvalidDataException(
                        $"{file}: not a picture (an image folder's class folders hold only {string.Join(", ", ImageDecoder.Extensions)} files).");
                files.Add((file, label));
            }
        }
        int size = channels * height * width;
        var images = new float[checked(files.Count * size)];
        var labels = new int[files.Count];
        // Each picture decodes on its own into its own slot, so the order and the values do not depend on the threads;
        // of several bad files the first in order is reported, whichever thread met it first.
        var errors = new Exception?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Threads.Count }, i =>
        {
            try
            {
                pipeline.Prepare(ImageDecoder.Decode(files[i].Path)).CopyTo(images, i * size);
                labels[i] = files[i].Label;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                errors[i] = ex;
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } first) ExceptionDispatchInfo.Throw(first);
        return new ImageDataset($"image folder {split} ({root})", images, labels, channels, height, width, classes);
    }

    /// <summary>
    /// The class names of <paramref name="root"/>: its train subfolders, sorted ordinally. Throws when the layout is
    /// wrong — a missing split, no class folders, or train and test disagreeing on the classes — naming what is wrong.
    /// </summary>
    public static IReadOnlyList<string> ClassNames(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        var train = ClassFolders(root, TrainFolder);
        var test = ClassFolders(root, TestFolder);
        var onlyTrain = train.Except(test).ToList();
        var onlyTest = test.Except(train).ToList();
        if (onlyTrain.Count > 0 || onlyTest.Count > 0)
            throw new InvalidDataException(
                $"Image folder '{root}': train and test must have the same class folders; " +
                string.Join("; ", new[]
                {
                    onlyTrain.Count > 0 ? $"only in train: {string.Join(", ", onlyTrain)}" : null,
                    onlyTest.Count > 0 ? $"only in test: {string.Join(", ", onlyTest)}" : null,
                }.OfType<string>()) + ".");
        return train;
    }

    private static List<string> ClassFolders(string root, string split)
    {
        string dir = Path.Combine(root, split);
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException(
                $"Image folder '{root}' has no '{split}' subfolder (expected {root}/{TrainFolder}/<class>/<picture> and {root}/{TestFolder}/<class>/<picture>).");
        var loose = Directory.EnumerateFiles(dir).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).FirstOrDefault();
        if (loose is not null)
            throw new InvalidDataException($"{loose}: a file directly in '{dir}'; pictures go in one subfolder per class ({dir}/<class>/<picture>).");
        var classes = Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
            throw new InvalidDataException($"Image folder '{dir}' has no class folders (expected {dir}/<class>/<picture>, one subfolder per class).");
        return classes;
    }
}
