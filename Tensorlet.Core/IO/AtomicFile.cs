using System.Diagnostics;

namespace Tensorlet.IO;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file in the same directory, is flushed to the disk,
/// and is renamed over the target. A crash or an exception at any point leaves either the old file or the new one at
/// the path, never a half-written one (the rename is atomic on one file system, which the shared directory ensures).
/// </summary>
/// <remarks>
/// A process killed mid-save leaves its temporary file <c>.NAME.GUID.tmp</c> behind, so every write first removes
/// such orphans of the same target. An orphan is a sibling of that exact pattern that (1) was last written before
/// this process started, so no write of this process can own it, and (2) is not locked: a writer holds its
/// temporary file open, and so locked, from creation until after the rename, and the cleaner deletes only a file
/// it could lock itself. Condition 1 also covers the instant between another writer creating its file and locking
/// it, and systems where .NET's advisory locks are off.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Test hook: runs with the temporary file's path after it is flushed and before the rename.</summary>
    [ThreadStatic] internal static Action<string>? BeforeCommit;

    private static readonly Lazy<DateTime> ProcessStartUtc = new(() => Process.GetCurrentProcess().StartTime.ToUniversalTime());

    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)
            ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        string name = Path.GetFileName(full);
        RemoveOrphans(directory, name);
        string temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            // FileShare.Delete lets the rename happen while the file is still open (Windows needs that); on Unix
            // the open file holds an advisory lock that tells RemoveOrphans in other processes it is alive.
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.Delete, bufferSize: 1 << 16);
            write(stream);
            stream.Flush(flushToDisk: true);
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

    /// <summary>Deletes the temporary files of <paramref name="name"/> that died with their writer (see the remarks).</summary>
    internal static void RemoveOrphans(string directory, string name)
    {
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(directory, $".{name}.*.tmp").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; } // the write itself will report it
        foreach (string candidate in candidates)
        {
            string middle = Path.GetFileName(candidate)[(name.Length + 2)..^4];
            if (!Guid.TryParseExact(middle, "N", out _)) continue; // not a name this class makes
            try
            {
                if (File.GetLastWriteTimeUtc(candidate) >= ProcessStartUtc.Value) continue;
                using var probe = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.None);
                File.Delete(candidate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Locked by a live writer, or gone already: either way not ours to remove.
            }
        }
    }
}
