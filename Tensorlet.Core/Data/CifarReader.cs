namespace Tensorlet.Data;

/// <summary>One label byte at the start of each CIFAR record.</summary>
internal sealed record CifarLabelField(string Name, int ClassCount);

/// <summary>A CIFAR binary variant: its name and the label bytes that precede the pixels of each record.</summary>
internal sealed record CifarFormat(string Name, IReadOnlyList<CifarLabelField> Fields)
{
    public int RecordSize => Fields.Count + CifarReader.PixelBytes;

    public string RecordDescription =>
        $"{RecordSize}-byte {Name} record ({string.Join(" + ", Fields.Select(f => $"1 {f.Name} byte"))} + {CifarReader.PixelBytes} pixel bytes)";
}

/// <summary>
/// What CIFAR-10 and CIFAR-100 binary files share: fixed-size records of label byte(s) followed
/// by 3,072 pixel bytes (1,024 red, 1,024 green, 1,024 blue, each 32 × 32 row-major, which is
/// already C × H × W), and the search for the standard file names.
/// </summary>
internal static class CifarReader
{
    public const int Channels = 3;
    public const int Side = 32;
    public const int PixelBytes = Channels * Side * Side;

    /// <summary>
    /// Reads and fully validates every file before converting any, then concatenates them.
    /// <paramref name="labelField"/> picks which of the format's label bytes becomes the label.
    /// </summary>
    public static ImageDataset Read(string datasetName, IReadOnlyList<string> paths, CifarFormat format, int labelField,
        IReadOnlyList<string> classNames)
    {
        if (paths.Count == 0)
        {
            throw new ArgumentException($"{datasetName}: no files given; a dataset needs at least one {format.Name} batch file.", nameof(paths));
        }
        int recordSize = format.RecordSize;
        var files = paths.Select(path => Validate(DataFile.Read(path), format)).ToList();
        long total = files.Sum(f => (long)(f.Length / recordSize));
        if (total * PixelBytes > Array.MaxLength)
        {
            throw new InvalidDataException($"{datasetName}: {total} images do not fit in one float array.");
        }

        var images = new float[total * PixelBytes];
        var labels = new int[total];
        int index = 0;
        foreach (var file in files)
        {
            for (int offset = 0; offset < file.Length; offset += recordSize, index++)
            {
                labels[index] = file.Bytes[offset + labelField];
                ImageDataset.ScaleToUnit(file.Bytes.AsSpan(offset + format.Fields.Count, PixelBytes),
                    images.AsSpan(index * PixelBytes, PixelBytes));
            }
        }
        return new ImageDataset(datasetName, images, labels, Channels, Side, Side, classNames);
    }

    private static DataFile Validate(DataFile file, CifarFormat format)
    {
        int recordSize = format.RecordSize;
        string record = format.RecordDescription;
        if (file.Length == 0)
        {
            throw file.Error(0, $"expected at least one {record}, found an empty file");
        }
        int leftover = file.Length % recordSize;
        if (leftover != 0)
        {
            throw file.Error(file.Length - leftover,
                $"file size {file.Length} is not a multiple of the {record}: {file.Length / recordSize} whole records and {leftover} leftover bytes");
        }
        for (int i = 0; i < format.Fields.Count; i++)
        {
            var field = format.Fields[i];
            file.CheckLabels(i, recordSize, file.Length / recordSize, field.ClassCount, $"{field.Name} of record");
        }
        return file;
    }

    /// <summary>
    /// Paths of <paramref name="fileNames"/> in <paramref name="directory"/>, or else in its
    /// <paramref name="subfolder"/> (where the official archive unpacks); all must be in the same place.
    /// </summary>
    public static IReadOnlyList<string> FindFiles(string directory, string subfolder, IReadOnlyList<string> fileNames,
        string datasetName)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{datasetName} directory '{directory}' does not exist.");
        }
        string[] candidates = [directory, Path.Combine(directory, subfolder)];
        var missingIn = candidates
            .Select(dir => (dir, missing: fileNames.Where(name => !File.Exists(Path.Combine(dir, name))).ToList()))
            .ToList();
        foreach (var (dir, missing) in missingIn)
        {
            if (missing.Count == 0)
            {
                return fileNames.Select(name => Path.Combine(dir, name)).ToList();
            }
        }
        var (closest, stillMissing) = missingIn.MinBy(c => c.missing.Count);
        throw new FileNotFoundException(
            $"{datasetName} files missing in '{closest}': {string.Join(", ", stillMissing)} (looked in '{candidates[0]}' and '{candidates[1]}').",
            Path.Combine(closest, stillMissing[0]));
    }
}
