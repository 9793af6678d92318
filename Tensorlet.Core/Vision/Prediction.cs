namespace Tensorlet.Vision;

/// <summary>One of a <see cref="Classifier"/>'s top guesses: the class index, its name and its softmax probability.</summary>
public sealed record Prediction(int Index, string Name, float Probability);
