using System.Text.Json;
using Tensorlet.Data;
using Tensorlet.IO;
using static Tensorlet.Tests.Data.ImageTestFiles;

namespace Tensorlet.Tests.Cli;

/// <summary>
/// <c>train</c> → <c>eval</c> → <c>predict</c> end to end on a tiny CIFAR-10 folder and a tiny image folder written
/// on the spot, and the clear one-line errors for data a user can get wrong.
/// </summary>
public class DataCommandTests : TempDirectoryFixture
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private static void Expect((int Code, string Output) r) => Assert.That(r.Code, Is.EqualTo(0), r.Output);

    /// <summary>The last "test loss X" a run printed (train prints one per epoch, eval one).</summary>
    private static string TestLoss(string output) =>
        System.Text.RegularExpressions.Regex.Matches(output, @"test loss (\d+\.\d+)").Last().Groups[1].Value;

    [Test]
    public void CifarTrainsEvaluatesAndPredictsWithItsClassNames()
    {
        string data = Path.Combine(Dir.Path, "cifar");
        WriteCifar10(data, perBatch: 4);
        string run = Path.Combine(Dir.Path, "run"), checkpoint = Path.Combine(run, "checkpoint.safetensors");
        var train = CliProcess.Run(Limit, "train", "--data", data, "--model", "resnet8", "--epochs", "1", "--batch", "10",
            "--augment", "crop,flip", "--threads", "2", "--out", run);
        Expect(train);
        Assert.That(train.Output, Does.Contain("CIFAR-10").And.Contain("3×32×32").And.Contain("augment crop, flip").And.Contain("normalised by mean"));

        var meta = SafeTensors.ReadHeader(checkpoint).Metadata;
        Assert.That(JsonSerializer.Deserialize<string[]>(meta["user.class_names"]), Is.EqualTo(Cifar10.ClassNames));
        Assert.That(meta["user.norm_mean"].Split(','), Has.Length.EqualTo(3));
        Assert.That((meta["user.channels"], meta["user.height"], meta["user.data_kind"]), Is.EqualTo(("3", "32", "cifar10")));

        var eval = CliProcess.Run(Limit, "eval", "--checkpoint", checkpoint, "--data", data, "--threads", "2");
        Expect(eval);
        Assert.That(eval.Output, Does.Contain("accuracy").And.Contain("(4 images)"));
        Assert.That(TestLoss(eval.Output), Is.EqualTo(TestLoss(train.Output)), "eval normalises as training did, so it sees the same test loss");

        // Pictures of other sizes and kinds: a wide colour PNG and a small grey one, both made 3 × 32 × 32.
        string photo = Dir.Write("photo.png", Png(Noise(50 * 40 * 3, 1), 50, 40, 3));
        string grey = Dir.Write("grey.png", Png(Noise(20 * 20, 2), 20, 20, 1));
        var predict = CliProcess.Run(Limit, "predict", "--checkpoint", checkpoint, "--top", "3", "--json", photo, grey);
        Expect(predict);
        using var json = JsonDocument.Parse(predict.Output);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results.Select(r => r.GetProperty("image").GetString()), Is.EqualTo(new[] { photo, grey }));
        foreach (var result in results)
        {
            var top = result.GetProperty("predictions").EnumerateArray().ToList();
            Assert.That(top, Has.Count.EqualTo(3));
            var p = top.Select(t => t.GetProperty("probability").GetDouble()).ToList();
            Assert.That(p, Is.Ordered.Descending);
            Assert.That(p.Sum(), Is.InRange(0.0, 1.0 + 1e-5));
            foreach (var t in top)
                Assert.That(t.GetProperty("class").GetString(), Is.EqualTo(Cifar10.ClassNames[t.GetProperty("index").GetInt32()]));
        }

        var table = CliProcess.Run(Limit, "predict", "--checkpoint", checkpoint, photo);
        Expect(table);
        Assert.That(Cifar10.ClassNames.Count(table.Output.Contains), Is.GreaterThanOrEqualTo(5), table.Output);

        string text = Dir.Write("readme.png", "not a picture"u8.ToArray());
        CliAssert.OneLineError(CliProcess.Run(Limit, "predict", "--checkpoint", checkpoint, photo, text), text, "not a PNG");
        CliAssert.OneLineError(CliProcess.Run(Limit, "eval", "--checkpoint", checkpoint), "trained on cifar10", "--data");
        CliAssert.OneLineError(CliProcess.Run(Limit, "train", "--data", data, "--resume", checkpoint, "--epochs", "2", "--augment", "flip",
            "--out", Path.Combine(Dir.Path, "resumed")), "--augment flip", "crop,flip");
    }

    [Test]
    public void AnImageFolderTrainsInGreyAtTheChosenSizeAndPredictsFolderNames()
    {
        string data = Path.Combine(Dir.Path, "pictures");
        for (int i = 0; i < 6; i++)
        {
            string split = i < 4 ? "train" : "test";
            Dir.Write($"pictures/{split}/light/{i}.png", SolidPng(20 + i, 16, (byte)(200 + i), 220, 230));
            Dir.Write($"pictures/{split}/dark/{i}.jpg", Jpeg(Noise(24 * 24 * 3, i).Select(b => (byte)(b / 8)).ToArray(), 24, 24, 3));
        }
        string run = Path.Combine(Dir.Path, "run"), checkpoint = Path.Combine(run, "checkpoint.safetensors");
        var train = CliProcess.Run(Limit, "train", "--data", data, "--model", "cnn", "--image-size", "16", "--mean", "0.5", "--std", "0.25", "--epochs", "2", "--batch", "4",
            "--threads", "2", "--out", run);
        Expect(train);
        Assert.That(train.Output, Does.Contain("image folder").And.Contain("1×16×16").And.Contain("2 classes"));
        var meta = SafeTensors.ReadHeader(checkpoint).Metadata;
        Assert.That(meta["user.class_names"], Is.EqualTo("[\"dark\",\"light\"]"));
        Assert.That((meta["user.norm_mean"], meta["user.norm_std"]), Is.EqualTo(("0.5", "0.25")), "the given --mean/--std, not computed ones");

        var eval = CliProcess.Run(Limit, "eval", "--checkpoint", checkpoint, "--data", data, "--threads", "2");
        Expect(eval);
        Assert.That(eval.Output, Does.Contain("(4 images)"));
        Assert.That(TestLoss(eval.Output), Is.EqualTo(TestLoss(train.Output)));

        string picture = Dir.Write("snap.png", SolidPng(64, 48, 210, 220, 230));
        var predict = CliProcess.Run(Limit, "predict", "--checkpoint", checkpoint, "--json", picture);
        Expect(predict);
        using var json = JsonDocument.Parse(predict.Output);
        var names = json.RootElement.GetProperty("results")[0].GetProperty("predictions").EnumerateArray()
            .Select(p => p.GetProperty("class").GetString()).ToList();
        Assert.That(names, Is.EquivalentTo(new[] { "dark", "light" }), "top 5 of two classes lists both");

        // The same checkpoint judged on a folder whose classes differ is refused, naming both class lists.
        Dir.Write("other/train/cat/a.png", SolidPng(4, 4, 1, 2, 3));
        Dir.Write("other/test/cat/a.png", SolidPng(4, 4, 1, 2, 3));
        CliAssert.OneLineError(CliProcess.Run(Limit, "eval", "--checkpoint", checkpoint, "--data", Path.Combine(Dir.Path, "other")),
            "has the classes cat", "trained on dark, light");
    }

    [Test]
    public void BadDataGivesOneClearLine()
    {
        Dir.Write("pictures/train/a/x.png", SolidPng(4, 4, 1, 2, 3));
        var png = Png(Noise(16 * 16 * 3, 5), 16, 16, 3);
        string cut = Dir.Write("pictures/test/a/cut.png", png[..(png.Length / 2)]);
        CliAssert.OneLineError(CliProcess.Run(Limit, "train", "--data", Path.Combine(Dir.Path, "pictures"), "--epochs", "1"), cut, "truncated");

        string empty = Path.Combine(Dir.Path, "empty");
        Directory.CreateDirectory(empty);
        CliAssert.OneLineError(CliProcess.Run(Limit, "train", "--data", empty, "--epochs", "1"), empty, "no dataset found", "data_batch_1.bin");
        CliAssert.OneLineError(CliProcess.Run(Limit, "train", "--dataset", "cifar100", "--epochs", "1"), "--dataset cifar100 needs --data");
        // train.bin marks the folder as CIFAR-100, whose reader then names the record with an impossible fine label.
        string bin = Dir.Write("cifar100/train.bin", [3, 150, .. new byte[3072]]);
        Dir.Write("cifar100/test.bin", [3, 5, .. new byte[3072]]);
        CliAssert.OneLineError(CliProcess.Run(Limit, "train", "--data", Path.Combine(Dir.Path, "cifar100"), "--epochs", "1"), bin, "fine label of record 0");
        CliAssert.OneLineError(CliProcess.Run(Limit, "train", "--data", "sample", "--mean", "0.5", "--epochs", "1"), "--mean and --std go together");
        CliAssert.OneLineError(CliProcess.Run(Limit, "train", "--data", "sample", "--augment", "rotate", "--epochs", "1"), "--augment rotate", "crop");
    }
}
