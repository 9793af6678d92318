using System.CommandLine;
using System.CommandLine.Parsing;
using Tensorlet.Cli.Training;
using Tensorlet.Models;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// The fixed value sets of the CLI's options, and <see cref="Restrict"/>, which makes an option accept only one of them:
/// the values show in <c>--help</c> and in tab completion, and a wrong value is refused at parse time with the closest
/// spellings ("unknown optimizer 'adm'; did you mean 'adam'?"). Every command declares its choices from here.
/// </summary>
public static class Choices
{
    /// <summary><c>train --optimizer</c>.</summary>
    public static IReadOnlyList<string> Optimizers { get; } = ["sgd", "adam", "adamw"];

    /// <summary><c>train --schedule</c>; <c>none</c> and its older spelling <c>constant</c> keep the rate.</summary>
    public static IReadOnlyList<string> Schedules { get; } = ["cosine", "step", "none", "constant"];

    /// <summary>The device kinds of <c>--device</c>; cuda and opencl also take an index (<c>cuda:1</c>).</summary>
    public static IReadOnlyList<string> Devices { get; } = ["cpu", "cuda", "opencl", "ilgpu-cpu", "best"];

    /// <summary><c>--dataset</c>: detected, CIFAR-10/100 binaries, IDX files (the MNIST family) or an image folder per class.</summary>
    public static IReadOnlyList<string> Datasets => DataSettings.DatasetNames;

    /// <summary><c>export --format</c>.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["safetensors", "onnx"];

    /// <summary>Every model name of the <see cref="ModelZoo"/>, in its order.</summary>
    public static IReadOnlyList<string> Models { get; } = ModelFactory.Names;

    /// <summary>The model families in zoo order, for help texts too short for every name.</summary>
    public static IReadOnlyList<string> ModelFamilies { get; } = ModelZoo.All.Select(e => e.Family).Distinct().ToArray();

    /// <summary>
    /// Makes <paramref name="option"/> accept only <paramref name="values"/> (ignoring case) and offer them as completions.
    /// <paramref name="what"/> names the value in the error ("model"). With <paramref name="helpName"/> the help shows
    /// it instead of the values, for sets too long to read inline, and <paramref name="listedBy"/> names the command that
    /// lists them all.
    /// </summary>
    public static Option<string> Restrict(this Option<string> option, string what, IReadOnlyList<string> values,
                                          string? helpName = null, string? listedBy = null)
    {
        option.HelpName = helpName ?? string.Join('|', values);
        option.CompletionSources.Add(_ => values);
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (!values.Contains(token.Value, StringComparer.OrdinalIgnoreCase))
                    result.AddError(Unknown(what, token.Value, values, listedBy));
        });
        return option;
    }

    /// <summary>The error for a value outside <paramref name="values"/>: the close spellings if any, else the choices.</summary>
    public static string Unknown(string what, string value, IReadOnlyList<string> values, string? listedBy = null)
    {
        var close = SpellingSuggestions.Closest(value, values, 3);
        if (close.Count > 0) return $"unknown {what} '{value}'; did you mean {SpellingSuggestions.OrList(close)}?";
        if (values.Count <= 8) return $"unknown {what} '{value}'; expected {SpellingSuggestions.OrList(values)}.";
        string list = listedBy == null ? "" : $" (`{listedBy}` lists them all)";
        return $"unknown {what} '{value}'; expected one of {values.Count} names{list}, e.g. {SpellingSuggestions.OrList(values.Take(3).ToList())}.";
    }
}
