namespace Tensorlet.Tests;

/// <summary>A test fixture whose every test gets its own empty <see cref="TempDirectory"/>, removed after the test.</summary>
public abstract class TempDirectoryFixture
{
    /// <summary>The current test's directory.</summary>
    protected TempDirectory Dir { get; private set; } = null!;

    /// <summary>Gives the test a fresh directory.</summary>
    [SetUp]
    public void CreateTempDirectory() => Dir = new TempDirectory();

    /// <summary>Removes the test's directory.</summary>
    [TearDown]
    public void RemoveTempDirectory() => Dir.Dispose();
}
