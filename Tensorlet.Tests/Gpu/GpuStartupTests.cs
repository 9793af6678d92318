using Tensorlet.Kernels.Gpu;

namespace Tensorlet.Tests.Gpu;

/// <summary>Failures to start ILGPU are turned into messages that say how to fix them.</summary>
public class GpuStartupTests
{
    private const string AotMessage = "Dynamic code generation is not supported on this platform.";

    [Test]
    public void NoDynamicCodeTellsHowToTurnOffPublishAot()
    {
        var original = new PlatformNotSupportedException(AotMessage);
        var explained = GpuDevices.Explain(original);
        Assert.That(explained, Is.InstanceOf<InvalidOperationException>());
        Assert.That(explained.Message, Does.Contain("#:property PublishAot=false").And.Contain("dotnet run file.cs").And.Contain(AotMessage));
        Assert.That(explained.InnerException, Is.SameAs(original));
    }

    [Test]
    public void TheCauseIsFoundInsideWrappingExceptions()
    {
        var wrapped = new TypeInitializationException("ILGPU.Context", new InvalidOperationException("setup", new PlatformNotSupportedException(AotMessage)));
        Assert.That(GpuDevices.Explain(wrapped).Message, Does.Contain("#:property PublishAot=false"));
    }

    [Test]
    public void OtherFailuresAreLeftAlone()
    {
        var other = new PlatformNotSupportedException("Operation is not supported on this platform.");
        Assert.That(GpuDevices.Explain(other), Is.SameAs(other));
        var unrelated = new InvalidOperationException("no CUDA device");
        Assert.That(GpuDevices.Explain(unrelated), Is.SameAs(unrelated));
    }
}
