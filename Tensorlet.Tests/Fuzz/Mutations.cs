using System.Buffers.Binary;

namespace Tensorlet.Tests.Fuzz;

/// <summary>One mutated file and what was done to it (so a failure can be reproduced from its seed).</summary>
internal sealed record Mutant(string Description, byte[] Bytes);

/// <summary>Format-blind mutations, and overwrites of known header fields with extreme values.</summary>
internal static class Mutations
{
    /// <summary>0, −1, 2³¹−1, −2³¹, 1 and 2⁶³ (as 64 bits; its low or high half where the field is 32 bits).</summary>
    public static readonly long[] Extremes = [0, -1, int.MaxValue, int.MinValue, 1, long.MinValue];

    public static Mutant Flip(Random rng, byte[] original)
    {
        var bytes = (byte[])original.Clone();
        int count = rng.Next(1, 5);
        var at = new List<int>();
        for (int i = 0; i < count && bytes.Length > 0; i++)
        {
            int offset = rng.Next(bytes.Length);
            bytes[offset] ^= (byte)rng.Next(1, 256);
            at.Add(offset);
        }
        return new($"flip at {string.Join(",", at)}", bytes);
    }

    public static Mutant Truncate(Random rng, byte[] original)
    {
        int length = rng.Next(2) == 0 ? rng.Next(original.Length) : Math.Max(0, original.Length - rng.Next(1, 9));
        return new($"truncate to {length}", original[..length]);
    }

    public static Mutant Extend(Random rng, byte[] original)
    {
        var extra = new byte[rng.Next(1, 65)];
        if (rng.Next(2) == 0) rng.NextBytes(extra);
        return new($"extend by {extra.Length}", [.. original, .. extra]);
    }

    public static Mutant Raw(Random rng, byte[] original) => rng.Next(3) switch
    {
        0 => Flip(rng, original),
        1 => Truncate(rng, original),
        _ => Extend(rng, original),
    };

    /// <summary>Writes an extreme value into a <paramref name="width"/>-byte field at <paramref name="offset"/>.</summary>
    public static Mutant Overwrite(Random rng, byte[] original, int offset, int width, bool bigEndian)
    {
        var bytes = (byte[])original.Clone();
        long value = Extremes[rng.Next(Extremes.Length)];
        var span = bytes.AsSpan(offset, width);
        if (width == 8)
        {
            if (bigEndian) BinaryPrimitives.WriteInt64BigEndian(span, value);
            else BinaryPrimitives.WriteInt64LittleEndian(span, value);
        }
        else
        {
            int v = value == long.MinValue ? int.MinValue : (int)value;
            if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(span, v);
            else BinaryPrimitives.WriteInt32LittleEndian(span, v);
        }
        return new($"field at {offset} := {value}", bytes);
    }
}
