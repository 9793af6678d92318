using Tensorlet.Models;

namespace Tensorlet.Cli.Visualize;

/// <summary>
/// <c>tensorlet visualize clique-stages</c>: for each clique block of a CliqueNet checkpoint, the first feature maps of
/// Stage-I (the dense-block pass) next to the same channels after Stage-II (the alternate re-update), for one image.
/// </summary>
internal static class CliqueStagePicture
{
    private const int MapsPerStage = 16, Columns = 8;

    /// <summary>The checkpoint's CliqueNet; any other model is refused with a message naming what it holds.</summary>
    public static CliqueNet Require(CheckpointModel checkpoint) => checkpoint.Model as CliqueNet
        ?? throw new InvalidDataException(
            $"'{checkpoint.Path}' holds a {checkpoint.Kind} model, not a CliqueNet: it has no Stage-I/Stage-II features (train e.g. cliquenet-t6-k16-w32-nodrop).");

    /// <summary>Draws the stages into <paramref name="path"/>; returns one line per block with the mean |Stage-II − Stage-I|.</summary>
    public static IReadOnlyList<string> Save(CheckpointModel checkpoint, Tensor image, string caption, string path)
    {
        var net = Require(checkpoint);
        var panels = new List<GridPanel>();
        var lines = new List<string>();
        using (TensorScope.Begin())
        using (GradMode.NoGrad())
        {
            var stages = net.BlockStages(image);
            for (int b = 0; b < stages.Count; b++)
            {
                var (stageI, stageII) = stages[b];
                int c = stageI.Size(1), h = stageI.Size(2), w = stageI.Size(3);
                float[] one = stageI.ToArray(), two = stageII.ToArray();
                panels.Add(new GridPanel($"block {b + 1} Stage-I [{c}×{h}×{w}]", ImageGrid.Planes(one, 0, c, h, w, MapsPerStage), Columns));
                panels.Add(new GridPanel($"block {b + 1} Stage-II", ImageGrid.Planes(two, 0, c, h, w, MapsPerStage), Columns));
                double change = one.Zip(two, (x, y) => Math.Abs(x - y)).Average();
                lines.Add($"block {b + 1}: {c} channels of {h}×{w}; mean |Stage-II − Stage-I| = {change:F4}");
            }
        }
        ImageGrid.Save(panels, 2, $"{checkpoint.Kind}: Stage-I vs Stage-II, {caption}", path);
        return lines;
    }
}
