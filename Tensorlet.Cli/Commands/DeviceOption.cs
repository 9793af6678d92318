using System.CommandLine;

namespace Tensorlet.Cli.Commands;

/// <summary>The <c>--device</c> option every computing command shares; its value goes to <see cref="Device.Parse"/>.</summary>
internal static class DeviceOption
{
    public const string Names = "cpu, cuda[:N], opencl[:N], ilgpu-cpu or best";

    public static Option<string> Create()
    {
        var option = new Option<string>("--device")
        {
            Description = $"Where to compute: {Names} (ilgpu-cpu runs the GPU kernels on the CPU, slowly, for checking)",
            DefaultValueFactory = _ => "cpu",
            HelpName = "cpu|cuda[:N]|opencl[:N]|ilgpu-cpu|best",
        };
        // Device.Parse checks the value when the command runs: whether cuda:2 exists is known only then.
        option.CompletionSources.Add(Choices.Devices.ToArray());
        return option;
    }
}
