namespace Tensorlet.NN;

/// <summary>
/// What a non-strict <see cref="Module.LoadStateDict"/> left out, like PyTorch's <c>_IncompatibleKeys</c>: the model's
/// entries the state did not provide (they keep their values) and the state's entries the model has no place for.
/// </summary>
/// <param name="MissingKeys">Names of the model's parameters and buffers absent from the state, in state-dict order.</param>
/// <param name="UnexpectedKeys">Names in the state that the model does not have.</param>
public sealed record IncompatibleKeys(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys)
{
    /// <summary>True when every entry matched (always so after a strict load).</summary>
    public bool IsEmpty => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0;

    /// <summary>PyTorch's wording: <c>&lt;All keys matched successfully&gt;</c> or the two lists.</summary>
    public override string ToString() => IsEmpty
        ? "<All keys matched successfully>"
        : $"_IncompatibleKeys(missing_keys=[{string.Join(", ", MissingKeys.Select(k => $"'{k}'"))}], " +
          $"unexpected_keys=[{string.Join(", ", UnexpectedKeys.Select(k => $"'{k}'"))}])";
}
