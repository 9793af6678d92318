namespace Tensorlet.Data;

/// <summary>
/// Images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> × <see cref="Cols"/>
/// unsigned bytes, stored image after image, row-major, exactly as in the file.
/// </summary>
public sealed record IdxImages(int Count, int Rows, int Cols, byte[] Pixels)
{
    /// <summary>Rows × Cols; checked, because a hand-made record can hold sizes whose product overflows.</summary>
    public int PixelsPerImage => checked(Rows * Cols);
}
