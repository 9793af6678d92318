using Tensorlet.Onnx;

namespace Tensorlet.NN;

public abstract partial class Module
{
    /// <summary>
    /// Writes this module's eval-mode forward pass to an ONNX file for <paramref name="inputShape"/> (batch first, e.g.
    /// [1, 3, 32, 32]; the batch dimension is exported as the symbol "N"). See <see cref="OnnxExporter"/>; throws
    /// <see cref="NotSupportedException"/> naming the first module that has no ONNX form.
    /// </summary>
    public void ExportOnnx(string path, params int[] inputShape) => OnnxExporter.Export(this, path, inputShape);
}
