namespace Tensorlet.Data;

/// <summary>
/// Images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> × <see cref="Cols"/>
/// unsigned bytes, stored image after image, row-major, exactly as in the file.
/// </summary>
public sealed record IdxImages(int Count, int Rows, int Cols, byte[] Pixels)
{
    public int PixelsPerImage => Rows * Cols;
}
