namespace Tensorlet.Tests.Kernels;

/// <summary>
/// Base of a fixture whose tests set <see cref="Threads.Count"/>: each test's setting is undone after it, so no test
/// inherits another's thread count (a failing assertion included).
/// </summary>
public abstract class ThreadCountFixture
{
    private int _savedThreads;

    [SetUp]
    public void SaveThreadCount() => _savedThreads = Threads.Count;

    [TearDown]
    public void RestoreThreadCount() => Threads.Count = _savedThreads;
}
