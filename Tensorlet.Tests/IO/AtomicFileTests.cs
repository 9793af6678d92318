using Tensorlet.IO;

namespace Tensorlet.Tests.IO;

/// <summary>A save removes the temporary files that killed saves left behind, and never one a live save is writing.</summary>
public class AtomicFileTests : TempDirectoryFixture
{
    private string Temp(string target, DateTime lastWrite)
    {
        string path = Path.Combine(Dir.Path, $".{target}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, lastWrite);
        return path;
    }

    private static DateTime LongAgo => DateTime.UtcNow.AddDays(-1);

    private void Save(string target, byte value) => AtomicFile.Write(Path.Combine(Dir.Path, target), s => s.WriteByte(value));

    [Test]
    public void RemovesOrphansOfTheSameTarget()
    {
        string orphan = Temp("checkpoint.safetensors", LongAgo);
        string other = Temp("log.csv", LongAgo);
        string stranger = Path.Combine(Dir.Path, ".checkpoint.safetensors.mine.tmp");
        File.WriteAllBytes(stranger, [7]);
        File.SetLastWriteTimeUtc(stranger, LongAgo);

        Save("checkpoint.safetensors", 5);

        Assert.That(File.Exists(orphan), Is.False, "a temporary file of a dead save is removed");
        Assert.That(File.Exists(other), Is.True, "another target's files are left to that target's saves");
        Assert.That(File.Exists(stranger), Is.True, "a name this class does not make is not touched");
        Assert.That(Directory.GetFiles(Dir.Path, ".checkpoint.safetensors.*"), Is.EqualTo(new[] { stranger }));
        Assert.That(File.ReadAllBytes(Path.Combine(Dir.Path, "checkpoint.safetensors")), Is.EqualTo(new byte[] { 5 }));
    }

    [Test]
    public void KeepsTemporaryFilesNewerThanThisProcess()
    {
        // Written after this process started: it may belong to a save of this process that is under way.
        string recent = Temp("checkpoint.safetensors", DateTime.UtcNow);
        Save("checkpoint.safetensors", 5);
        Assert.That(File.Exists(recent), Is.True);
    }

    [Test]
    public void KeepsAnOldTemporaryFileThatAWriterHoldsOpen()
    {
        string held = Temp("checkpoint.safetensors", LongAgo);
        using (new FileStream(held, FileMode.Open, FileAccess.Write, FileShare.Delete))
        {
            Save("checkpoint.safetensors", 5);
            Assert.That(File.Exists(held), Is.True, "a writer that is still alive holds its file open, and so locked");
        }
        Save("checkpoint.safetensors", 6);
        Assert.That(File.Exists(held), Is.False, "once closed it is an orphan");
    }

    [Test]
    public void ASaveUnderWaySurvivesAnotherSaveOfTheSameTarget()
    {
        string target = Path.Combine(Dir.Path, "checkpoint.safetensors");
        bool innerRan = false;
        AtomicFile.BeforeCommit = temp =>
        {
            AtomicFile.BeforeCommit = null;
            File.SetLastWriteTimeUtc(temp, LongAgo); // as if this save had begun before the other process started
            AtomicFile.Write(target, s => s.WriteByte(2));
            innerRan = true;
            Assert.That(File.Exists(temp), Is.True, "the other save must not delete a temporary file still being written");
        };
        try { AtomicFile.Write(target, s => s.WriteByte(1)); }
        finally { AtomicFile.BeforeCommit = null; }
        Assert.That(innerRan, Is.True);
        Assert.That(File.ReadAllBytes(target), Is.EqualTo(new byte[] { 1 }), "the outer save commits last");
        Assert.That(Directory.GetFiles(Dir.Path, "*.tmp"), Is.Empty);
    }
}
