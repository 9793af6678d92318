using ScottPlot;

namespace Tensorlet.Cli.Visualize;

/// <summary>One labelled block of a picture: small grey-scale images (filters or feature maps) laid out in rows.</summary>
/// <param name="Label">Written above the block.</param>
/// <param name="Tiles">Images [rows, columns], each stretched to black…white over its own range.</param>
/// <param name="Columns">Tiles per row inside the block.</param>
internal sealed record GridPanel(string Label, IReadOnlyList<float[,]> Tiles, int Columns);

/// <summary>
/// Draws panels of tiles into one PNG through a single ScottPlot heatmap: each tile is normalised on its own (so a
/// filter with small weights is as visible as one with large), tiles and panels are separated by blank cells, and
/// each panel's label is written above it.
/// </summary>
internal static class ImageGrid
{
    private const int TileGap = 1, PanelGap = 3, LabelPixels = 24;

    /// <summary>Writes <paramref name="panels"/>, <paramref name="panelColumns"/> panels side by side per row, to <paramref name="path"/>.</summary>
    public static void Save(IReadOnlyList<GridPanel> panels, int panelColumns, string title, string path)
    {
        if (panels.Count == 0 || panels.Any(p => p.Tiles.Count == 0))
            throw new ArgumentException($"ImageGrid: nothing to draw into '{path}' (a panel without tiles).");
        var sizes = panels.Select(Measure).ToList();
        int blockW = sizes.Max(s => s.W);
        int width = panelColumns * blockW + (panelColumns - 1) * PanelGap;
        int cell = Math.Clamp(1400 / width, 2, 24);
        // Labels need a fixed height in pixels, so the rows reserved for them depend on the cell size.
        int labelRows = (LabelPixels + cell - 1) / cell;
        int panelRows = (panels.Count + panelColumns - 1) / panelColumns;
        var rowTop = new int[panelRows + 1];
        for (int r = 0; r < panelRows; r++)
        {
            int tallest = sizes.Skip(r * panelColumns).Take(panelColumns).Max(s => s.H);
            rowTop[r + 1] = rowTop[r] + labelRows + tallest + PanelGap;
        }
        int height = rowTop[panelRows] - PanelGap;
        var cells = new double[height, width];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++) cells[r, c] = double.NaN;

        var plot = new Plot();
        var labels = new List<(string Text, double X, double Y)>();
        for (int p = 0; p < panels.Count; p++)
        {
            int top = rowTop[p / panelColumns], left = p % panelColumns * (blockW + PanelGap);
            labels.Add((panels[p].Label, left, top + labelRows - 0.3));
            Paint(panels[p], cells, top + labelRows, left);
        }
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        // Not white: a tile's brightest value is white and must stay distinguishable from the gaps.
        heatmap.NaNCellColor = Color.FromHex("#CFE0F0");
        // The heatmap puts row 0 at the top, at y = height; labels are placed in the same row coordinates.
        foreach (var (text, x, y) in labels)
        {
            var label = plot.Add.Text(text, x, height - y);
            label.LabelFontSize = 14;
            label.LabelFontColor = Colors.Black;
            label.LabelAlignment = Alignment.LowerLeft;
        }
        plot.HideAxesAndGrid();
        plot.Title(title);
        plot.SavePng(path, Math.Max(400, width * cell + 40), Math.Max(200, height * cell + 80));
    }

    private static (int W, int H) Measure(GridPanel panel)
    {
        int th = panel.Tiles.Max(t => t.GetLength(0)), tw = panel.Tiles.Max(t => t.GetLength(1));
        int columns = Math.Min(panel.Columns, panel.Tiles.Count), rows = (panel.Tiles.Count + columns - 1) / columns;
        return (columns * (tw + TileGap) - TileGap, rows * (th + TileGap) - TileGap);
    }

    private static void Paint(GridPanel panel, double[,] cells, int top, int left)
    {
        int th = panel.Tiles.Max(t => t.GetLength(0)), tw = panel.Tiles.Max(t => t.GetLength(1));
        for (int i = 0; i < panel.Tiles.Count; i++)
        {
            var tile = panel.Tiles[i];
            int y0 = top + i / panel.Columns * (th + TileGap), x0 = left + i % panel.Columns * (tw + TileGap);
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            foreach (var v in tile) { min = Math.Min(min, v); max = Math.Max(max, v); }
            // A constant tile (a dead ReLU map) is drawn mid-grey rather than dividing by zero.
            double range = max - min;
            for (int r = 0; r < tile.GetLength(0); r++)
                for (int c = 0; c < tile.GetLength(1); c++)
                    cells[y0 + r, x0 + c] = range > 0 ? (tile[r, c] - min) / range : 0.5;
        }
    }

    /// <summary>The [H, W] planes of a contiguous [C, H, W] block of <paramref name="data"/> starting at <paramref name="offset"/>, the first <paramref name="count"/> of them.</summary>
    public static List<float[,]> Planes(float[] data, int offset, int channels, int height, int width, int count)
    {
        var planes = new List<float[,]>();
        for (int ch = 0; ch < Math.Min(channels, count); ch++)
        {
            var plane = new float[height, width];
            int baseIndex = offset + ch * height * width;
            for (int r = 0; r < height; r++)
                for (int c = 0; c < width; c++) plane[r, c] = data[baseIndex + r * width + c];
            planes.Add(plane);
        }
        return planes;
    }
}
