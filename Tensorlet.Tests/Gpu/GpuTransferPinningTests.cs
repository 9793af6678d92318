using System.Runtime;
using static Tensorlet.Tests.Gpu.GpuTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// Uploads and downloads keep their data while garbage collections move managed arrays on another thread. ILGPU copies
/// from a raw pointer to the host memory without pinning it, so an unpinned array moved mid-copy lost its data (the
/// GPU tests failed now and then with zeros where the data should have been).
/// </summary>
public class GpuTransferPinningTests
{
    [Test]
    public void TransfersSurviveCompactingCollectionsOnAnotherThread()
    {
        int rounds = Environment.GetEnvironmentVariable("TENSORLET_NIGHTLY") == "1" ? 20_000 : 2_000;
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            // Garbage between live arrays gives the compacting collector something to close up, so arrays move.
            var keep = new List<byte[]>();
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < 64; i++) keep.Add(new byte[1024]);
                if (keep.Count > 4096) keep.RemoveRange(0, 2048);
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
        });
        using var buffer = TestGpu.Allocate(4096);
        try
        {
            for (int round = 0; round < rounds; round++)
            {
                var garbage = new byte[round % 7 * 100]; // shifts where the next arrays land
                var sent = Enumerable.Range(0, 1000 + round % 3000).Select(i => (float)(round * 7 + i)).ToArray();
                TestGpu.Upload(sent, buffer, 0);
                var back = new float[sent.Length];
                TestGpu.Download(buffer, 0, back);
                GC.KeepAlive(garbage);
                if (!back.AsSpan().SequenceEqual(sent))
                {
                    int at = back.AsSpan().CommonPrefixLength(sent);
                    Assert.Fail($"round {round}: element {at} came back as {back[at]}, sent {sent[at]}");
                }
            }
        }
        finally
        {
            stop.Cancel();
            collector.Wait();
        }
    }
}
