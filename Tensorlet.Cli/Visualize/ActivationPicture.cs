namespace Tensorlet.Cli.Visualize;

/// <summary>
/// <c>tensorlet visualize activations</c>: the feature maps of each stage of a model for one image. Forward hooks
/// record every module's output; a stage is the last 4-D output at each spatial size (the deepest features the model
/// computes at that scale before it downsamples), preferring the model's own blocks (names with at most one dot, such as
/// <c>layer2</c> or <c>blocks.1</c>) over layers inside them, so the same rule serves a plain CNN, a ResNet or a CliqueNet.
/// </summary>
internal static class ActivationPicture
{
    private const int MapsPerStage = 16, Columns = 8;

    /// <summary>Refuses a model without convolutions (its feature maps would all be 1-D) before any data is loaded.</summary>
    public static void Require(CheckpointModel checkpoint)
    {
        if (!checkpoint.Model.NamedModules().Any(m => m.Module is Tensorlet.NN.Conv2d))
            throw new InvalidDataException(NoMaps(checkpoint));
    }

    private static string NoMaps(CheckpointModel checkpoint) =>
        $"'{checkpoint.Path}' holds a {checkpoint.Kind} model, which computes no 4-D feature maps: nothing to draw (train a convolutional model such as cnn).";

    private static (string Name, Tensor Output) Stage(IEnumerable<(string Name, Tensor Output)> sameSize)
    {
        var all = sameSize.ToList();
        var blocks = all.Where(o => o.Name.Count(ch => ch == '.') <= 1).ToList();
        return blocks.Count > 0 ? blocks[^1] : all[^1];
    }

    /// <summary>Draws the input and each stage's first maps into <paramref name="path"/>; returns one line per stage.</summary>
    public static IReadOnlyList<string> Save(CheckpointModel checkpoint, Tensor image, string caption, string path)
    {
        var outputs = new List<(string Name, Tensor Output)>();
        var handles = checkpoint.Model.NamedModules().Where(m => m.Name.Length > 0)
            .Select(m => m.Module.RegisterForwardHook((_, _, output) =>
            {
                // 1×1 maps (after global pooling) carry no picture.
                if (output.Rank == 4 && output.Size(2) * output.Size(3) > 1) outputs.Add((m.Name, output));
            }))
            .ToList();
        var panels = new List<GridPanel>();
        var lines = new List<string>();
        try
        {
            using (TensorScope.Begin())
            using (GradMode.NoGrad())
            {
                checkpoint.Model.Call(image);
                var stages = outputs.GroupBy(o => (o.Output.Size(2), o.Output.Size(3))).Select(Stage).ToList();
                if (stages.Count == 0)
                    throw new InvalidDataException(NoMaps(checkpoint));
                int ic = image.Size(1), ih = image.Size(2), iw = image.Size(3);
                panels.Add(new GridPanel($"input ({caption})", ImageGrid.Planes(image.ToArray(), 0, ic, ih, iw, ic), Columns));
                foreach (var (name, output) in stages)
                {
                    int c = output.Size(1), h = output.Size(2), w = output.Size(3);
                    string label = $"{name} [{c}×{h}×{w}]" + (c > MapsPerStage ? $", first {MapsPerStage} maps" : "");
                    panels.Add(new GridPanel(label, ImageGrid.Planes(output.ToArray(), 0, c, h, w, MapsPerStage), Columns));
                    lines.Add($"{name}: {c} maps of {h}×{w}");
                }
            }
        }
        finally
        {
            foreach (var h in handles) h.Dispose();
        }
        ImageGrid.Save(panels, 1, $"{checkpoint.Kind}: feature maps, {caption}", path);
        return lines;
    }
}
