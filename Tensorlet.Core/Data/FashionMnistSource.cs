namespace Tensorlet.Data;

/// <summary>Where a dataset was found.</summary>
public enum DataOrigin
{
    /// <summary>A directory the user named.</summary>
    GivenDirectory,

    /// <summary>The system-wide installation (e.g. a Debian dataset package).</summary>
    InstalledDirectory,

    /// <summary>The small sample embedded in Tensorlet.Core.</summary>
    EmbeddedSample,
}

/// <summary>
/// The outcome of <see cref="FashionMnist.Resolve(string?)"/>: which Fashion-MNIST copy will be
/// used, a line to tell the user so, and a way to load either split from it.
/// </summary>
public sealed class FashionMnistSource
{
    internal FashionMnistSource(DataOrigin origin, string? directory)
    {
        Origin = origin;
        Directory = directory;
    }

    public DataOrigin Origin { get; }

    /// <summary>The directory read from; null for the embedded sample.</summary>
    public string? Directory { get; }

    public bool IsSample => Origin == DataOrigin.EmbeddedSample;

    /// <summary>One line for the CLI to print.</summary>
    public string Description => Origin switch
    {
        DataOrigin.GivenDirectory => $"Fashion-MNIST from {Directory}",
        DataOrigin.InstalledDirectory => $"Fashion-MNIST full set from {Directory}",
        _ => "Fashion-MNIST embedded sample (6,000 train / 1,000 test images; "
             + $"install dataset-fashion-mnist or pass a directory for the full 60,000 / 10,000)",
    };

    public ImageDataset Load(bool train) =>
        Directory is null ? FashionMnist.LoadSample(train) : FashionMnist.Load(Directory, train);

    public override string ToString() => Description;
}
