using System.Text.RegularExpressions;

namespace Tensorlet.Tests.Cli;

/// <summary>The CLI on the GPU code path: <c>selftest</c>, <c>eval --device</c>, and the refusal of absent devices.</summary>
public class DeviceCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Test]
    public void SelftestOnTheIlgpuCpuAcceleratorPasses()
    {
        var (code, output) = CliProcess.Run(Limit, "selftest", "--device", "ilgpu-cpu");
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Match(@"all \d+ kernels match the CPU"));
        Assert.That(output, Does.Contain("Conv2d backward weight").And.Contain("BatchNorm backward").And.Not.Contain("FAIL"));
    }

    [Test]
    public void EvalOnTheGpuCodePathGivesTheCpuAccuracy()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tensorlet-device-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output) = CliProcess.Run(Limit, "train", "--model", "mlp", "--data", "sample", "--epochs", "1", "--out", dir);
            Assert.That(code, Is.Zero, output);
            string checkpoint = Path.Combine(dir, "checkpoint.safetensors");
            string Accuracy(string device)
            {
                var (c, o) = CliProcess.Run(Limit, "eval", "--checkpoint", checkpoint, "--data", "sample", "--device", device);
                Assert.That(c, Is.Zero, o);
                return Regex.Match(o, @"accuracy (\d+\.\d+) ?%").Groups[1].Value;
            }
            string cpu = Accuracy("cpu");
            Assert.That(cpu, Is.Not.Empty);
            Assert.That(Accuracy("ilgpu-cpu"), Is.EqualTo(cpu));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void AnAbsentDeviceIsOneClearLine([Values("opencl", "cuda:3", "tpu")] string device)
    {
        if (device.StartsWith("cuda") && Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { Length: > 0 }) Assert.Ignore("CUDA may be present.");
        var (code, output) = CliProcess.Run(Limit, "selftest", "--device", device);
        if (code == 0) Assert.Ignore($"{device} exists here.");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "a message, not a stack trace");
        Assert.That(output, Does.StartWith("error:").And.Contain(device.Split(':')[0] == "tpu" ? "expected cpu, cuda[:N]" : "Device " + device.Split(':')[0]));
    }
}
