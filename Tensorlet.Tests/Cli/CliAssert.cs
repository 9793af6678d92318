namespace Tensorlet.Tests.Cli;

/// <summary>Checks on what a <see cref="CliProcess"/> run printed.</summary>
internal static class CliAssert
{
    /// <summary>The run failed with exit code 1 and a clear error (no stack trace) containing each of <paramref name="expected"/>.</summary>
    public static void OneLineError((int Code, string Output) r, params string[] expected)
    {
        Assert.That(r.Code, Is.EqualTo(1), r.Output);
        Assert.That(r.Output, Does.Contain("error:").And.Not.Contain("   at "), r.Output);
        foreach (var e in expected) Assert.That(r.Output, Does.Contain(e), r.Output);
    }
}
