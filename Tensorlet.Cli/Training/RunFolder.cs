namespace Tensorlet.Cli.Training;

/// <summary>
/// The output folder of a run, checked and claimed before any training: created, proven writable with a probe file,
/// and locked with a lock file opened for exclusive use and held until the run ends, so a second run aimed at the same
/// folder stops at once with a clear message instead of racing the first one's files.
/// </summary>
internal sealed class RunFolder : IDisposable
{
    public const string LockFile = ".tensorlet.lock";
    private readonly FileStream _lock;

    private RunFolder(string path, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
    }

    public string Path { get; }

    /// <summary>Claims <paramref name="path"/> (creating it); throws an <see cref="IOException"/> naming the folder if it cannot.</summary>
    public static RunFolder Open(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            string probe = System.IO.Path.Combine(path, $".tensorlet-probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--out {path}: the folder cannot be written ({ex.Message})", ex);
        }
        string lockPath = System.IO.Path.Combine(path, LockFile);
        try
        {
            // On Linux and macOS .NET backs FileShare.None with an advisory lock, so this also excludes other processes.
            return new RunFolder(path, new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new IOException($"--out {path}: another tensorlet run is using this folder (it holds {lockPath}); " +
                                  "wait for it to finish or choose another --out.", ex);
        }
    }

    public void Dispose() => _lock.Dispose();
}
