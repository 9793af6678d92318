namespace Tensorlet.IO;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file in the same directory, is flushed to the disk,
/// and is renamed over the target. A crash or an exception at any point leaves either the old file or the new one at
/// the path, never a half-written one (the rename is atomic on one file system, which the shared directory ensures).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Test hook: runs with the temporary file's path after it is flushed and before the rename.</summary>
    [ThreadStatic] internal static Action<string>? BeforeCommit;

    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)
            ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            BeforeCommit?.Invoke(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { } // the original error matters more than a leftover temporary file
            throw;
        }
    }
}
