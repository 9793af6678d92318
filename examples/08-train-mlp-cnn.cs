#:project ../Tensorlet.Models/Tensorlet.Models.csproj
// Training, end to end: the embedded Fashion-MNIST sample (6,000 training and 1,000 test images), a multilayer
// perceptron and then a small CNN, each trained with SGD for a fixed number of steps, the loss printed every step.
using Tensorlet;
using Tensorlet.Data;
using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Optim;

var train = FashionMnist.LoadSample(train: true);
var test = FashionMnist.LoadSample(train: false);
Console.WriteLine($"{train.Count} training images, {test.Count} test images, {train.ClassCount} classes");

Run("MLP 784-128-10", new Mlp(hidden: [128], generator: new Generator(1)), steps: 80, batchSize: 64, lr: 0.1f);
Run("SmallCnn (width 8)", new SmallCnn(width: 8, generator: new Generator(1)), steps: 80, batchSize: 32, lr: 0.05f);

void Run(string name, Module model, int steps, int batchSize, float lr)
{
    Console.WriteLine($"\n{name}: {model.ParameterCount():N0} parameters, SGD lr {lr}, momentum 0.9, batch {batchSize}");
    Console.WriteLine($"accuracy before training: {Accuracy(model):P1}");
    var loader = new DataLoader(train, batchSize, shuffle: true, dropLast: true, generator: new Generator(2));
    using var optimizer = new SGD(model.Parameters(), lr, momentum: 0.9f);
    model.Train();
    var losses = new List<float>();
    foreach (var batch in loader.Epoch())
    {
        using var scope = TensorScope.Begin();
        optimizer.ZeroGrad();
        var loss = F.CrossEntropy(model.Call(batch.Images), batch.Labels);
        loss.Backward();
        optimizer.Step();
        losses.Add(loss.Item());
        if (losses.Count == steps) break;
    }
    // Ten losses a line: step numbers on the left, so a reader can follow the curve down.
    for (int s = 0; s < losses.Count; s += 10)
        Console.WriteLine($"  steps {s + 1,3}-{s + 10,3}: " + string.Join(" ", losses.Skip(s).Take(10).Select(l => l.ToString("F3"))));
    Console.WriteLine($"accuracy after {steps} steps: {Accuracy(model):P1}");
}

float Accuracy(Module model)
{
    model.Eval();
    int correct = 0;
    using (GradMode.NoGrad())
        foreach (var batch in new DataLoader(test, 250).Epoch())
        {
            using var scope = TensorScope.Begin();
            var predicted = model.Call(batch.Images).ArgMax(1).ToArray();
            var labels = batch.Labels.ToArray();
            for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) correct++;
        }
    model.Train();
    return (float)correct / test.Count;
}
