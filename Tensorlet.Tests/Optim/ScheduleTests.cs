using Tensorlet.Optim;

namespace Tensorlet.Tests.Optim;

public class ScheduleTests
{
    private const double BaseLr = 0.1f; // the optimizer holds a float; the closed forms scale exactly that value

    private static SGD NewOptimizer() => new([Tensor.Zeros([2], requiresGrad: true)], (float)BaseLr);

    /// <summary>Steps the schedule ten times and checks the rate after construction and after every step.</summary>
    private static void AssertFollows(LRSchedule schedule, Func<int, double> closedForm)
    {
        for (int epoch = 0; epoch <= 10; epoch++)
        {
            if (epoch > 0) schedule.Step();
            Assert.That(schedule.LastEpoch, Is.EqualTo(epoch));
            Assert.That(schedule.Optimizer.LearningRate, Is.EqualTo((float)closedForm(epoch)), $"epoch {epoch}");
        }
    }

    [Test]
    public void StepLRDecaysEveryStepSizeEpochs() =>
        AssertFollows(new StepLR(NewOptimizer(), stepSize: 3, gamma: 0.5f), e => BaseLr * Math.Pow(0.5f, e / 3));

    [Test]
    public void MultiStepLRDecaysAtEachMilestone() =>
        AssertFollows(new MultiStepLR(NewOptimizer(), [6, 2, 9], gamma: 0.1f),
            e => BaseLr * Math.Pow(0.1f, (e >= 2 ? 1 : 0) + (e >= 6 ? 1 : 0) + (e >= 9 ? 1 : 0)));

    [Test]
    public void CosineAnnealingFollowsHalfACosine() =>
        AssertFollows(new CosineAnnealingLR(NewOptimizer(), tMax: 8, etaMin: 0.001f),
            e => 0.001f + (BaseLr - 0.001f) * (1 + Math.Cos(Math.PI * e / 8)) / 2);

    [Test]
    public void LinearWarmupRisesToTheBaseRate() =>
        AssertFollows(new LinearWarmup(NewOptimizer(), warmupSteps: 4, startFactor: 0.25f),
            e => BaseLr * (e < 4 ? 0.25f + (1 - 0.25f) * e / 4.0 : 1));

    [Test]
    public void LinearWarmupHandsOverToTheWrappedSchedule()
    {
        var opt = NewOptimizer();
        var cosine = new CosineAnnealingLR(opt, tMax: 5);
        AssertFollows(new LinearWarmup(opt, warmupSteps: 3, startFactor: 0.1f, after: cosine),
            e => e < 3 ? BaseLr * (0.1f + (1 - 0.1f) * e / 3.0) : BaseLr * (1 + Math.Cos(Math.PI * (e - 3) / 5)) / 2);
    }

    [Test]
    public void LoadStateRestoresTheRate()
    {
        var schedule = new StepLR(NewOptimizer(), stepSize: 2, gamma: 0.5f);
        for (int i = 0; i < 5; i++) schedule.Step();
        var fresh = new StepLR(NewOptimizer(), stepSize: 2, gamma: 0.5f);
        fresh.LoadState(schedule.LastEpoch, schedule.BaseLearningRate);
        Assert.That(fresh.Optimizer.LearningRate, Is.EqualTo(schedule.Optimizer.LearningRate));
        fresh.Step();
        schedule.Step();
        Assert.That(fresh.Optimizer.LearningRate, Is.EqualTo(schedule.Optimizer.LearningRate));
    }
}
