using System.Diagnostics;

namespace Tensorlet.Tests.Cli;

/// <summary>
/// Kill trials: a real <c>tensorlet train</c> child is killed with SIGKILL at seeded random moments, half of them
/// aimed inside a checkpoint save (the moment its temporary file appears). After every kill the run folder must hold
/// a checkpoint that loads (the one before the save or the one it wrote) or none, and finishing the run from there
/// must give the bits of a run that was never killed. 6 kills normally (3 aimed at a save, 3 anywhere), 100 with <c>TENSORLET_NIGHTLY=1</c>.
/// </summary>
[Category("KillTrial")]
public class KillTrialTests
{
    private const int Epochs = 3, Seed = 20261202;

    // Threads fixed at 1 so the order of every float sum, and hence every bit, is the same in each process.
    private static readonly string[] TrainArgs =
        ["train", "--model", "mlp", "--data", "sample", "--epochs", $"{Epochs}", "--batch", "200", "--threads", "1", "--seed", "5"];

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static int KillCount => Environment.GetEnvironmentVariable("TENSORLET_NIGHTLY") == "1" ? 100 : 6;

    [Test]
    public void EveryKillLeavesALoadableCheckpointAndResumingGivesTheUninterruptedBits()
    {
        string root = Path.Combine(Path.GetTempPath(), "tensorlet-killtrial-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            string referenceDir = Path.Combine(root, "reference");
            var clock = Stopwatch.StartNew();
            var (code, output) = CliProcess.Run(Timeout, [.. TrainArgs, "--out", referenceDir]);
            // Whole-run times (the reference and every restart from scratch): random kills are drawn within their mean.
            var runTimes = new List<double> { clock.Elapsed.TotalSeconds };
            Assert.That(code, Is.EqualTo(0), output);
            string reference = Path.Combine(referenceDir, "checkpoint.safetensors");

            var random = new Random(Seed);
            var tally = new Dictionary<string, int>();
            void Count(string what) => tally[what] = tally.GetValueOrDefault(what) + 1;
            int orphansAfterKill = 0, orphansAfterResume = 0;
            int kills = 0, trial = 0;
            // A run that ends before its kill is checked like the others but not counted, so there are KillCount kills.
            for (; kills < KillCount; trial++)
            {
                Assert.That(trial, Is.LessThan(3 * KillCount), $"only {kills} of {trial} runs were killed before they ended");
                var aim = kills % 2 == 0 ? KillAim.Save : KillAim.Anywhere;
                int saveNumber = random.Next(1, Epochs + 1);
                var delay = TimeSpan.FromSeconds(runTimes.Average() * random.NextDouble());
                string dir = Path.Combine(root, $"trial-{trial}");
                Directory.CreateDirectory(dir);
                var run = new KillTrial(dir, TrainArgs);
                string where = aim == KillAim.Save ? $"trial {trial} (save {saveNumber})" : $"trial {trial} (after {delay.TotalSeconds:F2} s)";

                run.Run(aim, saveNumber, delay, Timeout);
                long? epoch;
                try { epoch = run.CheckpointEpoch(Epochs); }
                catch (AssertionException ex) { throw new AssertionException($"{where}: {ex.Message}"); }
                var outcome = Classify(run, aim, saveNumber, epoch);
                if (aim == KillAim.Save && outcome is not (KillOutcome.Finished or KillOutcome.Old or KillOutcome.New))
                    Assert.Fail($"{where}: the checkpoint holds epoch {epoch?.ToString() ?? "none"}, neither the one before the save nor the one it wrote");
                string kind = aim == KillAim.Save ? "aimed at a save" : "at a random moment";
                Count(run.EndedBeforeKill ? $"{kind}: the run ended before the kill" :
                      aim == KillAim.Anywhere ? $"{kind}: killed" :
                      run.DiedInsideSave ? $"{kind}: killed inside the save" : $"{kind}: killed just after the save");
                Count($"{kind}: checkpoint {Describe(aim, outcome, epoch)}");
                orphansAfterKill += run.OrphanCount();
                if (!run.EndedBeforeKill) kills++;

                clock.Restart();
                run.Complete(epoch, Epochs, Timeout);
                if (epoch == null) runTimes.Add(clock.Elapsed.TotalSeconds);
                orphansAfterResume += run.OrphanCount();
                // The next save in the folder removes the temporary file a killed save left behind (AtomicFile).
                Assert.That(run.OrphanCount(), Is.EqualTo(0), $"{where}: a temporary checkpoint file outlived the finished run");
                KillTrial.AssertSameBits(run.Checkpoint, reference);
                Count("finished with the uninterrupted run's bits");
                Directory.Delete(dir, recursive: true);
            }
            TestContext.Out.WriteLine($"{kills} kills in {trial} runs (seed {Seed}), {Epochs} epochs each, whole run {runTimes.Min():F1}-{runTimes.Max():F1} s:");
            foreach (var (what, n) in tally.OrderBy(kv => kv.Key, StringComparer.Ordinal)) TestContext.Out.WriteLine($"  {what}: {n}");
            TestContext.Out.WriteLine($"  orphan temporary checkpoint files: {orphansAfterKill} after the kills, {orphansAfterResume} after the runs finished");
            Assert.That(tally.GetValueOrDefault("aimed at a save: killed inside the save"), Is.GreaterThan(0), "no aimed kill landed inside a save");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // Against the save the kill was aimed at: Old is the checkpoint before it (or none before the first), New the one
    // it wrote. Kills during training only say how far the run had got.
    private static KillOutcome Classify(KillTrial run, KillAim aim, int saveNumber, long? epoch)
    {
        if (run.EndedBeforeKill || epoch == Epochs && aim == KillAim.Anywhere) return KillOutcome.Finished;
        if (aim == KillAim.Anywhere) return epoch == null ? KillOutcome.None : KillOutcome.Old;
        if (epoch == saveNumber) return KillOutcome.New;
        if (epoch == saveNumber - 1 || epoch == null && saveNumber == 1) return KillOutcome.Old;
        return KillOutcome.None;
    }

    private static string Describe(KillAim aim, KillOutcome outcome, long? epoch) => (aim, outcome) switch
    {
        (_, KillOutcome.Finished) => "final (the run had finished)",
        (KillAim.Save, KillOutcome.Old) when epoch == null => "none (killed in the first save)",
        (KillAim.Save, KillOutcome.Old) => "old (the one before the save)",
        (KillAim.Save, KillOutcome.New) => "new (the one being saved)",
        _ => epoch == null ? "none yet" : $"epoch {epoch}",
    };
}
