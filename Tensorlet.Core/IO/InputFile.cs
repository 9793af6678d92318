namespace Tensorlet.IO;

/// <summary>
/// Opens a file the library was asked to read, so that every way opening can fail is one exception naming the file:
/// <see cref="FileNotFoundException"/> when nothing is there, <see cref="IOException"/> when a directory or an
/// unreadable file is. Without this, .NET on Linux reports a directory (and a file without read permission) as an
/// <see cref="UnauthorizedAccessException"/>, which is not an <see cref="IOException"/>, so a caller that handles
/// I/O failures crashes on it instead.
/// </summary>
internal static class InputFile
{
    public static FileStream OpenRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new IOException($"{path}: cannot read: it is a directory, expected a file");
        }
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: file not found", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, e);
        }
    }

    /// <summary>The whole file; a file too large for one array is refused before anything is allocated.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        using var stream = OpenRead(path);
        try
        {
            long length = stream.Length;
            if (length > Array.MaxLength)
            {
                throw new IOException($"{path}: cannot read: the file has {length} bytes, more than one array holds ({Array.MaxLength})");
            }
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw CannotRead(path, e);
        }
    }

    /// <summary>An I/O failure while reading <paramref name="path"/>, with the file named first.</summary>
    public static IOException CannotRead(string path, Exception inner) => new($"{path}: cannot read: {inner.Message}", inner);
}
