using System.Text;
using Tensorlet.IO;
using Tensorlet.Models;

namespace Tensorlet.Tests.IO;

public class SafeTensorsTests : TempDirectoryFixture
{
    /// <summary>A safetensors file built from the published layout: u64 LE header length, JSON header, raw LE data.</summary>
    private static byte[] File(string json, Action<BinaryWriter> data)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            var header = Encoding.UTF8.GetBytes(json);
            w.Write((ulong)header.Length);
            w.Write(header);
            data(w);
        }
        return ms.ToArray();
    }

    private const string ThreeTensors =
        """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"labels":{"dtype":"I64","shape":[3],"data_offsets":[24,48]}""" +
        ""","s":{"dtype":"F64","shape":[],"data_offsets":[48,56]},"__metadata__":{"format":"pt","note":"héllo"}}""";

    private static void ThreeTensorsData(BinaryWriter w)
    {
        foreach (float v in new[] { 1f, -2f, 3.5f, 0f, 1e-3f, float.MaxValue }) w.Write(v);
        foreach (long v in new long[] { 0, 9, 4 }) w.Write(v);
        w.Write(0.25);
    }

    [Test]
    public void ReadsAHandBuiltFile()
    {
        string path = Dir.Write("three.safetensors", File(ThreeTensors, ThreeTensorsData));
        using var file = SafeTensors.Read(path);
        Assert.That(file.Tensors["w"].Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(file.Tensors["w"].ToArray(), Is.EqualTo(new[] { 1f, -2f, 3.5f, 0f, 1e-3f, float.MaxValue }));
        Assert.That(file.Tensors["labels"].ToArray(), Is.EqualTo(new[] { 0f, 9f, 4f }));
        Assert.That(file.Tensors["s"].Shape, Is.Empty);
        Assert.That(file.Tensors["s"].Item(), Is.EqualTo(0.25f));
        Assert.That(file.Metadata, Is.EqualTo(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "héllo" }));
    }

    [Test]
    public void WritesTheExactPublishedLayout()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["a.weight"] = Tensor.FromArray([1f, 2f, -3f, 4.5f], [2, 2]),
            ["b"] = Tensor.Scalar(7f),
        };
        string path = Path.Combine(Dir.Path, "out.safetensors");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["k"] = "v" });

        string json = """{"__metadata__":{"k":"v"},"a.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}""" +
                      ""","b":{"dtype":"F32","shape":[],"data_offsets":[16,20]}}""";
        json = json.PadRight((json.Length + 7) / 8 * 8);
        var expected = File(json, w => { foreach (float v in new[] { 1f, 2f, -3f, 4.5f, 7f }) w.Write(v); });
        Assert.That(System.IO.File.ReadAllBytes(path), Is.EqualTo(expected));
        Assert.That(Directory.GetFiles(Dir.Path), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void RoundTripsEmptyAndScalarTensors()
    {
        var tensors = new Dictionary<string, Tensor> { ["empty"] = Tensor.Zeros(0, 3), ["x"] = Tensor.Arange(6).Reshape(2, 3).T };
        string path = Path.Combine(Dir.Path, "rt.safetensors");
        SafeTensors.Save(path, tensors);
        var loaded = SafeTensors.Load(path);
        Assert.That(loaded["empty"].Shape, Is.EqualTo(new[] { 0, 3 }));
        Assert.That(loaded["x"].Shape, Is.EqualTo(new[] { 3, 2 }));
        Assert.That(loaded["x"].ToArray(), Is.EqualTo(new[] { 0f, 3f, 1f, 4f, 2f, 5f }), "a transposed view is written row-major");
    }

    private static IEnumerable<TestCaseData> Corruptions()
    {
        byte[] valid = File(ThreeTensors, ThreeTensorsData);
        yield return new TestCaseData(valid[..^3], new[] { "'s'", "data_offsets [48, 56]", "truncated" }).SetName("Truncated data");
        yield return new TestCaseData(valid[..5], new[] { "5 bytes", "offset 0" }).SetName("Truncated length");
        var badLength = (byte[])valid.Clone();
        BitConverter.GetBytes(1UL << 40).CopyTo(badLength, 0);
        yield return new TestCaseData(badLength, new[] { "header length 1099511627776 at offset 0" }).SetName("Bad header length");
        yield return new TestCaseData(File("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]""", w => w.Write(1f)),
            new[] { "not valid JSON" }).SetName("Bad JSON");
        yield return new TestCaseData(File("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", w => w.Write(1f)),
            new[] { "'w'", "[0, 8]", "end past the data section" }).SetName("Offsets out of range");
        yield return new TestCaseData(File("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            w => { w.Write(1f); w.Write(2f); }), new[] { "'b'", "overlap tensor 'a'" }).SetName("Overlapping offsets");
        yield return new TestCaseData(File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", w => { w.Write(1f); w.Write(2f); }),
            new[] { "'a'", "gap after data offset 0" }).SetName("Gap before a tensor");
        yield return new TestCaseData(File("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", w => { w.Write(1f); w.Write(2f); }),
            new[] { "'a'", "needs 12" }).SetName("Size disagrees with shape");
        yield return new TestCaseData(File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", w => { w.Write(1f); w.Write(2f); }),
            new[] { "4 unexplained bytes at data offset 4" }).SetName("Trailing data");
        yield return new TestCaseData(File("""{"half":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}""", w => w.Write(1f)),
            new[] { "'half'", "BF16", "data offset 0" }).SetName("Unsupported dtype");
        yield return new TestCaseData(File("""{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}""", w => w.Write(1f)),
            new[] { "'a'", "unknown dtype 'Q7'" }).SetName("Unknown dtype");
        yield return new TestCaseData(File("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", w => w.Write(1f)),
            new[] { "'a'", "shape holds -1" }).SetName("Negative dimension");
        yield return new TestCaseData(File("""{"__metadata__":{"n":3}}""", _ => { }),
            new[] { "__metadata__ entry 'n'" }).SetName("Non-string metadata");
        yield return new TestCaseData(File("""{"a\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", w => w.Write(1f)),
            new[] { "name \"a\\ud800\" at offset 9", "lone UTF-16 surrogate" }).SetName("Lone surrogate in a tensor name");
        yield return new TestCaseData(File("""{"__metadata__":{"k\udc00":"v"}}""", _ => { }),
            new[] { "name \"k\\udc00\" at offset 25 (in entry '__metadata__')", "lone UTF-16 surrogate" }).SetName("Lone surrogate in a metadata key");
        yield return new TestCaseData(File("""{"__metadata__":{"k":"\ud800x"}}""", _ => { }),
            new[] { "string \"\\ud800x\" at offset 29 (in entry '__metadata__')" }).SetName("Lone surrogate in a metadata value");
    }

    [TestCaseSource(nameof(Corruptions))]
    public void CorruptFilesNameTheFault(byte[] bytes, string[] fragments)
    {
        string path = Dir.Write("bad.safetensors", bytes);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.That(ex!.Message, Does.Contain(path));
        foreach (var fragment in fragments) Assert.That(ex.Message, Does.Contain(fragment));
    }

    [Test]
    public void ModuleRoundTripsThroughStateDictNames()
    {
        var model = new Mlp(8, [5], 3, new Generator(1));
        string path = Path.Combine(Dir.Path, "mlp.safetensors");
        model.SaveSafeTensors(path);
        Assert.That(SafeTensors.ReadHeader(path).Tensors.Select(t => t.Name),
            Is.EquivalentTo(new[] { "layers.1.weight", "layers.1.bias", "layers.3.weight", "layers.3.bias" }));
        var fresh = new Mlp(8, [5], 3, new Generator(2));
        fresh.LoadSafeTensors(path);
        foreach (var (name, t) in model.StateDict())
            Assert.That(fresh.StateDict()[name].ToArray(), Is.EqualTo(t.ToArray()), name);

        var other = new Mlp(8, [6], 3);
        var ex = Assert.Throws<InvalidDataException>(() => other.LoadSafeTensors(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("size mismatch for 'layers.1.weight'"));
    }
}
