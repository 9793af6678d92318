using Tensorlet.Kernels;

namespace Tensorlet.Tests.Conformance;

/// <summary>A conformance fixture: NUnit makes one instance per backend under test (<see cref="ConformanceKit.Devices"/>).</summary>
[TestFixtureSource(typeof(ConformanceKit), nameof(ConformanceKit.Devices)), Category("Conformance")]
public abstract class BackendFixture(string device)
{
    /// <summary>The backend this instance checks against the reference.</summary>
    protected IBackend Backend { get; } = ConformanceKit.BackendOf(device);
}
