using Tensorlet.Data;

namespace Tensorlet.Tests.Data;

/// <summary>Batching, seeded shuffling, drop-last, transforms and early exit of the DataLoader.</summary>
public class DataLoaderTests
{
    // Image i is filled with the value i, so a batch tells which images it holds and in what order.
    private static ImageDataset Numbered(int count, int c = 1, int h = 4, int w = 4)
    {
        var images = new float[count * c * h * w];
        for (int i = 0; i < count; i++) images.AsSpan(i * c * h * w, c * h * w).Fill(i);
        return new ImageDataset("numbered", images, Enumerable.Range(0, count).Select(i => i % 3).ToArray(), c, h, w, ["a", "b", "c"]);
    }

    private static List<int> Order(DataLoader loader)
    {
        var ids = new List<int>();
        foreach (var batch in loader.Epoch())
        {
            var x = batch.Images.ToArray();
            int size = batch.Size, per = x.Length / size;
            var labels = batch.Labels.ToArray();
            for (int i = 0; i < size; i++)
            {
                int id = (int)x[i * per];
                ids.Add(id);
                Assert.That(labels[i], Is.EqualTo(id % 3), "label travels with its image");
            }
            batch.Dispose();
        }
        return ids;
    }

    [Test]
    public void WithoutShuffleBatchesComeInOrderWithASmallerLastBatch()
    {
        var loader = new DataLoader(Numbered(10), batchSize: 4);
        Assert.That(loader.BatchCount, Is.EqualTo(3));
        var sizes = loader.Epoch().Select(b => { int s = b.Size; b.Dispose(); return s; }).ToList();
        Assert.That(sizes, Is.EqualTo(new[] { 4, 4, 2 }));
        Assert.That(Order(loader), Is.EqualTo(Enumerable.Range(0, 10)));
    }

    [Test]
    public void DropLastDropsTheIncompleteBatch()
    {
        var loader = new DataLoader(Numbered(10), batchSize: 4, dropLast: true);
        Assert.That(loader.BatchCount, Is.EqualTo(2));
        Assert.That(Order(loader), Has.Count.EqualTo(8));
    }

    [Test]
    public void ShuffleIsAPermutationFixedByTheSeedAndNewEachEpoch()
    {
        var a = new DataLoader(Numbered(50), 7, shuffle: true, generator: new Generator(9));
        var b = new DataLoader(Numbered(50), 7, shuffle: true, generator: new Generator(9));
        var epoch1 = Order(a);
        Assert.That(epoch1, Is.EquivalentTo(Enumerable.Range(0, 50)));
        Assert.That(epoch1, Is.Not.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(Order(b), Is.EqualTo(epoch1), "same seed, same order");
        Assert.That(Order(a), Is.Not.EqualTo(epoch1), "a new order each epoch");
    }

    [Test]
    public void StateRestoresTheSameSequence()
    {
        var a = new DataLoader(Numbered(30), 8, shuffle: true, generator: new Generator(2));
        Order(a);
        var state = a.GetState();
        var next = Order(a);
        var b = new DataLoader(Numbered(30), 8, shuffle: true, generator: new Generator(77));
        b.SetState(state);
        Assert.That(Order(b), Is.EqualTo(next));
    }

    [Test]
    public void TransformsRunPerImage()
    {
        var data = new ImageDataset("ramp", Enumerable.Range(0, 2 * 3 * 3).Select(i => (float)i).ToArray(), [0], 2, 3, 3, ["x"]);
        var flip = new DataLoader(data, 1, transforms: [new RandomHorizontalFlip(p: 1f)]);
        var batch = flip.Epoch().Single();
        Assert.That(batch.Images.ToArray().Take(3), Is.EqualTo(new[] { 2f, 1f, 0f }));

        var norm = new DataLoader(data, 1, transforms: [new Normalize([1f, 10f], [2f, 4f])]);
        var x = norm.Epoch().Single().Images.ToArray();
        Assert.That(x[0], Is.EqualTo((0f - 1f) / 2f));
        Assert.That(x[9], Is.EqualTo((9f - 10f) / 4f));

        // Padding 1 and a random shift: every crop is the image moved by at most one pixel, zeros shifted in.
        var crop = new DataLoader(Numbered(1, 1, 3, 3), 1, transforms: [new RandomCrop(1)], generator: new Generator(5));
        for (int i = 0; i < 10; i++)
        {
            var c = crop.Epoch().Single().Images.ToArray();
            Assert.That(c.All(v => v == 0f), "image 0 holds zeros only, so any crop does too");
        }
        var shifts = new HashSet<string>();
        var ramp = new DataLoader(data, 1, transforms: [new RandomCrop(1)], generator: new Generator(6));
        for (int i = 0; i < 30; i++) shifts.Add(string.Join(",", ramp.Epoch().Single().Images.ToArray()));
        Assert.That(shifts.Count, Is.GreaterThan(3), "crops vary with the generator");
    }

    [Test]
    public void LeavingAnEpochEarlyStopsTheLoadingThread()
    {
        var loader = new DataLoader(Numbered(1000), 10, shuffle: true, generator: new Generator(1));
        foreach (var batch in loader.Epoch())
        {
            batch.Dispose();
            break;
        }
        Assert.That(Order(loader), Has.Count.EqualTo(1000), "the next epoch runs normally");
    }

    [Test]
    public void BadArgumentsAreNamed()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbered(3), 0));
        Assert.That(ex!.Message, Does.Contain("batch size"));
        Assert.Throws<ArgumentException>(() => new Normalize([0f], [0f]));
    }
}
