namespace Tensorlet;

// Dropout: y = x ⊙ mask, mask = 0 with probability p and 1/(1 − p) otherwise, so E[y] = x. The mask is a constant
// of the op, so the gradient is g ⊙ mask (the Mul it is built from). Each call draws one 64-bit seed from the
// generator; the backend expands it into the mask with a counter-based hash, identical on every device and thread count.
public static partial class F
{
    /// <summary>Zeroes each element with probability <paramref name="p"/> and scales the rest by 1/(1 − p); the identity unless <paramref name="training"/>.</summary>
    public static Tensor Dropout(Tensor x, float p = 0.5f, bool training = true, Generator? generator = null) =>
        DropoutCore(x, p, training, generator, x.Shape, "Dropout");

    /// <summary>
    /// Zeroes whole channels of [N, C, ...] with probability <paramref name="p"/> (one draw per (n, c)), scaling the rest by
    /// 1/(1 − p); the identity unless <paramref name="training"/>.
    /// </summary>
    public static Tensor Dropout2d(Tensor x, float p = 0.5f, bool training = true, Generator? generator = null)
    {
        if (x.Rank < 2) throw new ArgumentException($"Dropout2d: expected input [N, C, ...], got {Shape.Format(x.ShapeSpan)}.");
        var maskShape = x.Shape;
        for (int d = 2; d < maskShape.Length; d++) maskShape[d] = 1;
        return DropoutCore(x, p, training, generator, maskShape, "Dropout2d");
    }

    private static Tensor DropoutCore(Tensor x, float p, bool training, Generator? generator, int[] maskShape, string op)
    {
        if (!(p >= 0f && p <= 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, $"{op}: p must be in [0, 1].");
        if (!training || p == 0f) return x;
        ulong seed = (generator ?? Generator.Default).NextUInt64();
        var mask = Tensor.Empty(maskShape, x.Device);
        x.Backend.DropoutMask(mask.AsStrided(), p, seed, 0);
        return x.Mul(mask);
    }
}
