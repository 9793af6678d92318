using Tensorlet.NN;

namespace Tensorlet.Cli.Visualize;

/// <summary>
/// <c>tensorlet visualize filters</c>: the first convolution's filters [K, C, kh, kw] as a grid of K tiles, each
/// stretched over its own range; a filter with several input channels shows them side by side.
/// </summary>
internal static class FilterPicture
{
    /// <summary>Draws the filters into <paramref name="path"/> and returns the layer's name and weight shape.</summary>
    public static (string Layer, int[] Shape) Save(CheckpointModel checkpoint, string path)
    {
        var (name, conv) = checkpoint.Model.NamedModules().Where(m => m.Module is Conv2d).Select(m => (m.Name, (Conv2d)m.Module))
            .FirstOrDefault();
        if (conv is null)
            throw new InvalidDataException(
                $"'{checkpoint.Path}' holds a {checkpoint.Kind} model, which has no convolution: no filters to draw (train a convolutional model such as cnn).");
        var shape = conv.Weight.Shape;
        int k = shape[0], c = shape[1], kh = shape[2], kw = shape[3];
        var w = conv.Weight.ToArray();
        var tiles = new List<float[,]>();
        for (int f = 0; f < k; f++)
        {
            var tile = new float[kh, c * kw];
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++) tile[i, ch * kw + j] = w[((f * c + ch) * kh + i) * kw + j];
            tiles.Add(tile);
        }
        int columns = (int)Math.Ceiling(Math.Sqrt(k));
        string label = $"{name}.weight {Shape.Format(shape)}";
        ImageGrid.Save([new GridPanel(label, tiles, columns)], 1, $"{checkpoint.Kind}: first-layer filters", path);
        return (name, shape);
    }
}
