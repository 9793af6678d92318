namespace Tensorlet.Cli.Training;

/// <summary>
/// The small CSV files of a run (<c>log.csv</c>, <c>steps.csv</c>): a fixed header, then rows of a fixed field count.
/// Rewritten whole through a temporary file, so a run killed mid-write leaves the previous version, never half a file.
/// </summary>
internal static class CsvLog
{
    public static void Write(string path, string header, IEnumerable<string> rows)
    {
        var tmp = path + ".tmp";
        File.WriteAllLines(tmp, rows.Prepend(header));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The rows' fields; the messages name the file, the line and what kind of log was expected.</summary>
    public static IEnumerable<string[]> Read(string path, string header, string kind)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != header)
            throw new InvalidDataException($"{path}: not a Tensorlet {kind} (expected the header '{header}').");
        int fields = header.Split(',').Length;
        for (int i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length != fields) throw new InvalidDataException($"{path}: line {i + 1} has {f.Length} fields, expected {fields}.");
            yield return f;
        }
    }
}
