namespace Tensorlet.Onnx;

/// <summary>
/// A module that can describe its eval-mode forward pass as ONNX nodes. <see cref="OnnxExporter"/> asks the model for
/// its graph; a container asks each child through <see cref="OnnxGraphBuilder.Emit"/>, so a module only describes its own
/// dataflow and names its children. A module without this interface cannot be exported (the exporter says which one).
/// </summary>
public interface IOnnxExportable
{
    /// <summary>
    /// Adds the nodes that compute this module's output from the graph value named <paramref name="input"/> and returns
    /// the name of the output value. Use the builder's helpers for nodes and for initializers from this module's tensors.
    /// </summary>
    string ExportOnnx(OnnxGraphBuilder g, string input);
}
