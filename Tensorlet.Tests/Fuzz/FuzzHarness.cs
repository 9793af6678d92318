namespace Tensorlet.Tests.Fuzz;

/// <summary>
/// Feeds seeded mutations of a valid file to a reader and holds each input to the readers' promise: it loads (and
/// the result passes the caller's consistency check) or it throws <see cref="InvalidDataException"/> whose message
/// names the file — no other exception type, no hang (each input runs under <see cref="TimeLimit"/>), and no more
/// managed allocation than <see cref="AllocationBound"/> allows for the file's size.
/// </summary>
internal sealed class FuzzHarness(string reader, string directory)
{
    /// <summary>Per input; generous because the test machine may be heavily loaded, while a real hang never ends.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);

    /// <summary>100 mutations per reader in the normal run, 1,000 with TENSORLET_NIGHTLY=1.</summary>
    public static int Count => Environment.GetEnvironmentVariable("TENSORLET_NIGHTLY") == "1" ? 1000 : 100;

    /// <summary>
    /// The rule: 16 bytes of managed allocation per byte of file, plus 1 MiB. A reader copies a file a few times
    /// (bytes, values, tensors), never more; gzip inputs here are small enough that even deflate's largest expansion
    /// (about 1,000 : 1) fits the 1 MiB, and real bombs are bounded by the header (see GzipBombTests).
    /// </summary>
    public static long AllocationBound(long fileSize) => 16 * fileSize + (1 << 20);

    private readonly List<string> _failures = [];
    private int _loaded, _rejected;

    /// <summary>
    /// Writes mutation <paramref name="index"/> and runs <paramref name="load"/> on it; <paramref name="load"/> loads
    /// the file and checks the result, throwing an <see cref="AssertionException"/> if it is not self-consistent.
    /// </summary>
    public void Try(int index, string mutation, byte[] bytes, Action<string> load)
    {
        string path = Path.Combine(directory, $"{reader}-{index}.bin");
        File.WriteAllBytes(path, bytes);
        long allocated = 0;
        var task = Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { load(path); }
            finally { allocated = GC.GetAllocatedBytesForCurrentThread() - before; }
        });
        string where = $"#{index} ({mutation}, {bytes.Length} bytes)";
        bool finished;
        try { finished = task.Wait(TimeLimit); }
        catch (AggregateException) { finished = true; } // the outcome is read from the task below
        if (!finished)
        {
            _failures.Add($"{where}: no result within {TimeLimit.TotalSeconds} s");
            return;
        }
        var error = task.Exception?.InnerException;
        if (error is null) _loaded++;
        else if (error is InvalidDataException && error.Message.Contains(path, StringComparison.Ordinal)) _rejected++;
        else if (error is InvalidDataException) _failures.Add($"{where}: the message does not name the file: {error.Message}");
        else _failures.Add($"{where}: {error.GetType().Name}: {error.Message}");
        if (allocated > AllocationBound(bytes.Length))
            _failures.Add($"{where}: allocated {allocated} bytes, more than the bound {AllocationBound(bytes.Length)}");
        File.Delete(path);
    }

    /// <summary>Prints the one-line summary and fails with the first faults, if any.</summary>
    public void Report(int tried)
    {
        string summary = $"fuzz {reader}: {tried} mutations, {_loaded} loaded, {_rejected} rejected, {_failures.Count} faults";
        TestContext.Out.WriteLine(summary);
        TestContext.Progress.WriteLine(summary);
        Assert.That(_loaded + _rejected + _failures.Count, Is.GreaterThanOrEqualTo(tried));
        Assert.That(_failures, Is.Empty, summary + ":\n" + string.Join("\n", _failures.Take(10)));
    }
}
