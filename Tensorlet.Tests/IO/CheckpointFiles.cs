using Tensorlet.IO;

namespace Tensorlet.Tests.IO;

/// <summary>Crafted checkpoints: files that pass the checksum but hold values a loader must refuse.</summary>
internal static class CheckpointFiles
{
    /// <summary>Rewrites the metadata of the checkpoint at <paramref name="path"/> with <paramref name="edit"/> and signs it again.</summary>
    public static void EditMetadata(string path, Action<Dictionary<string, string>> edit)
    {
        using var file = SafeTensors.Read(path);
        var meta = new Dictionary<string, string>(file.Metadata);
        edit(meta);
        Checkpoint.Sign(file.Tensors, meta);
        SafeTensors.Save(path, file.Tensors, meta);
    }
}
