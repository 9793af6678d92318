namespace Tensorlet.Data;

/// <summary>
/// Builds the <see cref="InvalidDataException"/> thrown for a dataset file that does not hold what
/// its format promises. (That type is sealed, so the details travel in the message and in
/// <see cref="Exception.Data"/> under <see cref="FileNameKey"/> and <see cref="OffsetKey"/>.)
/// The message names the file, the byte offset and what was expected versus found.
/// </summary>
public static class DataFormatError
{
    public const string FileNameKey = "FileName";
    public const string OffsetKey = "Offset";

    /// <summary>
    /// An error "<c>{fileName}: at byte offset {offset} [{offsetContext}]: {detail}</c>"; <paramref name="offsetContext"/>
    /// says which bytes the offset counts, e.g. "of the decompressed data".
    /// </summary>
    public static InvalidDataException Create(string fileName, long offset, string detail, string? offsetContext = null)
    {
        string where = offsetContext is null ? $"at byte offset {offset}" : $"at byte offset {offset} {offsetContext}";
        var error = new InvalidDataException($"{fileName}: {where}: {detail}");
        error.Data[FileNameKey] = fileName;
        error.Data[OffsetKey] = offset;
        return error;
    }
}
