namespace Tensorlet.Data;

/// <summary>
/// How long a file's content may be, judged from its first <see cref="PrefixLength"/> bytes (its header). Gzip
/// decompression reads the prefix, asks <see cref="MaxLength"/>, and stops as soon as the output would pass it, so
/// a small file that inflates to gigabytes costs no more memory than its header justifies.
/// </summary>
/// <param name="PrefixLength">Bytes of content the rule needs to see (fewer if the content is shorter).</param>
/// <param name="MaxLength">The most bytes the content may hold, given its prefix.</param>
/// <param name="Source">What the limit comes from, for the error message, e.g. "its IDX header (3 × 28 × 28)".</param>
internal sealed record ContentLimit(int PrefixLength, ContentLimit.Rule MaxLength, Func<byte[], string> Source)
{
    /// <summary>The most bytes the content may hold, given its first bytes.</summary>
    public delegate long Rule(ReadOnlySpan<byte> prefix);
}
