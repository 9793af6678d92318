namespace Tensorlet.Cli.Commands;

/// <summary>"Did you mean" for mistyped option values: the known values within a few edits of what was typed.</summary>
public static class SpellingSuggestions
{
    /// <summary>
    /// Up to <paramref name="count"/> of <paramref name="known"/>, closest first (ties in their given order): those at the
    /// smallest number of edits, if that is within a quarter of the typed length (at least one, at most three), and
    /// those the typed text begins, so that "densenet" offers the DenseNets.
    /// </summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> known, int count)
    {
        string t = typed.ToLowerInvariant();
        int limit = Math.Clamp(t.Length / 4, 1, 3);
        var scored = known.Select((name, order) => (name, order, distance: EditDistance(t, name.ToLowerInvariant()))).ToList();
        int best = scored.Count == 0 ? 0 : scored.Min(c => c.distance);
        return scored
            .Where(c => (c.distance == best && best <= limit) || (t.Length >= 3 && c.name.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.distance).ThenBy(c => c.order)
            .Take(count).Select(c => c.name).ToList();
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int EditDistance(string a, string b)
    {
        // Optimal string alignment: Levenshtein plus adjacent transpositions, since "sdg" for "sgd" is one slip, not two.
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        for (int j = 1; j <= b.Length; j++)
        {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }

    /// <summary>"'a'", "'a' or 'b'", "'a', 'b' or 'c'".</summary>
    public static string OrList(IReadOnlyList<string> values) => values.Count switch
    {
        0 => "",
        1 => $"'{values[0]}'",
        _ => string.Join(", ", values.Take(values.Count - 1).Select(v => $"'{v}'")) + $" or '{values[^1]}'",
    };
}
