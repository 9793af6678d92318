using System.Diagnostics;
using Tensorlet.IO;
using Tensorlet.Models;
using Tensorlet.Optim;

namespace Tensorlet.Tests.Cli;

/// <summary>Where a kill landed: inside a checkpoint save (its temporary file seen) or anywhere else in the run.</summary>
internal enum KillAim { Save, Anywhere }

/// <summary>What a killed run left at the checkpoint path.</summary>
internal enum KillOutcome { None, Old, New, Finished }

/// <summary>
/// One kill trial: a <c>tensorlet train</c> child killed with SIGKILL, either the moment the temporary file of its
/// <c>saveNumber</c>-th checkpoint appears or after a delay; then what it left behind is inspected.
/// </summary>
internal sealed class KillTrial(string directory, string[] trainArgs)
{
    public const string TempPattern = ".checkpoint.safetensors.*.tmp";

    public string Checkpoint => Path.Combine(directory, "checkpoint.safetensors");

    /// <summary>True when the temporary file of the aimed save was still there after the process died.</summary>
    public bool DiedInsideSave { get; private set; }

    /// <summary>True when the run ended on its own before the kill.</summary>
    public bool EndedBeforeKill { get; private set; }

    /// <summary>Runs the child until <paramref name="aim"/> says kill, and kills it.</summary>
    public void Run(KillAim aim, int saveNumber, TimeSpan delay, TimeSpan timeout)
    {
        using var p = CliProcess.Start([.. trainArgs, "--out", directory]);
        var clock = Stopwatch.StartNew();
        if (aim == KillAim.Save)
        {
            // Every save writes a temporary file with a fresh name; the saveNumber-th new name is the save to hit.
            var seen = new HashSet<string>();
            while (!p.HasExited && clock.Elapsed < timeout)
            {
                foreach (var f in Directory.EnumerateFiles(directory, TempPattern)) seen.Add(f);
                if (seen.Count >= saveNumber) break;
                Thread.SpinWait(100);
            }
        }
        else
        {
            while (!p.HasExited && clock.Elapsed < delay) Thread.Sleep(1);
        }
        // SIGKILL, no tree walk: `dotnet tensorlet.dll` is one process, and every microsecond counts inside a save.
        try { p.Kill(); }
        catch (InvalidOperationException) { } // it ended by itself between the check and the kill
        p.WaitForExit();
        // 137 = 128 + SIGKILL; anything else means the run failed by itself, which is not what is being tried here.
        Assert.That(p.ExitCode, Is.EqualTo(0).Or.EqualTo(137), $"{directory}: the training process failed on its own");
        EndedBeforeKill = p.ExitCode == 0;
        if (!EndedBeforeKill) Assert.That(clock.Elapsed, Is.LessThan(timeout), $"{directory}: the aimed moment never came");
        DiedInsideSave = aim == KillAim.Save && !EndedBeforeKill && OrphanCount() > 0;
    }

    /// <summary>Temporary checkpoint files in the run folder: a kill inside a save leaves one until the next save.</summary>
    public int OrphanCount() => Directory.EnumerateFiles(directory, TempPattern).Count();

    /// <summary>
    /// The epoch of the checkpoint at the final path, or null when there is none; loading it with the run's model,
    /// optimizer and schedule checks its checksum and every entry, so any damage fails the trial here.
    /// </summary>
    public long? CheckpointEpoch(int epochs)
    {
        if (!File.Exists(Checkpoint)) return null;
        using var model = new Mlp(784, [256], 10);
        using var optimizer = new SGD(model.Parameters(), 0.05f, momentum: 0.9f);
        var schedule = new CosineAnnealingLR(optimizer, epochs);
        try { return Tensorlet.IO.Checkpoint.Load(Checkpoint, model, optimizer, schedule).Epoch; }
        catch (InvalidDataException ex) { throw new AssertionException($"the kill left a checkpoint that does not load: {ex.Message}"); }
    }

    /// <summary>Continues the killed run to the end (from the checkpoint, or from scratch when there is none).</summary>
    public void Complete(long? epoch, int epochs, TimeSpan timeout)
    {
        if (epoch == epochs) return;
        string[] args = epoch == null ? [.. trainArgs, "--out", directory] : [.. trainArgs, "--out", directory, "--resume", Checkpoint];
        var (code, output) = CliProcess.Run(timeout, args);
        Assert.That(code, Is.EqualTo(0), $"the run after the kill failed:\n{output}");
    }

    /// <summary>Fails unless the checkpoints at <paramref name="actual"/> and <paramref name="expected"/> hold the same bits.</summary>
    public static void AssertSameBits(string actual, string expected)
    {
        using var a = SafeTensors.Read(actual);
        using var e = SafeTensors.Read(expected);
        Assert.That(a.Tensors.Keys, Is.EquivalentTo(e.Tensors.Keys), $"{actual}: tensor names differ from the uninterrupted run");
        foreach (var (name, t) in e.Tensors)
        {
            var got = a.Tensors[name];
            Assert.That(got.Shape, Is.EqualTo(t.Shape), $"{actual}: shape of '{name}'");
            int[] gotBits = got.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
            int[] wantBits = t.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
            int first = Enumerable.Range(0, wantBits.Length).FirstOrDefault(i => gotBits[i] != wantBits[i], -1);
            Assert.That(first, Is.EqualTo(-1), $"{actual}: tensor '{name}' differs from the uninterrupted run first at element {first}");
        }
        // The metadata carries the epoch, step, optimizer counts, schedule and generator states, and the checksum.
        Assert.That(a.Metadata, Is.EquivalentTo(e.Metadata), $"{actual}: metadata differs from the uninterrupted run");
    }
}
