using System.Buffers.Binary;
using Tensorlet.Tests.Data;
using static Tensorlet.Tests.Fuzz.Mutations;

namespace Tensorlet.Tests.Fuzz;

/// <summary>Mutations that know the layout of IDX, gzip and CIFAR files, on top of the format-blind ones.</summary>
internal static class FormatMutations
{
    private static readonly byte[] OddLabels = [9, 10, 19, 20, 99, 100, 255];

    /// <summary>An IDX file: header sizes and magic overwritten with extremes, labels made out of range, or raw damage.</summary>
    public static Mutant Idx(Random rng, byte[] original, int headerSize, int labelStride)
    {
        switch (rng.Next(4))
        {
            case 0:
                return Overwrite(rng, original, 4 * rng.Next(headerSize / 4), 4, bigEndian: true);
            case 1 when labelStride > 0:
            {
                var bytes = (byte[])original.Clone();
                int offset = headerSize + labelStride * rng.Next((bytes.Length - headerSize) / labelStride);
                bytes[offset] = OddLabels[rng.Next(OddLabels.Length)];
                return new($"label at {offset} := {bytes[offset]}", bytes);
            }
            default:
                return Raw(rng, original);
        }
    }

    /// <summary>
    /// A gzip file of <paramref name="plain"/>: its content mutated and compressed again (a valid gzip of a bad file),
    /// damage to the deflate data, a corrupt CRC or length (ISIZE) in the trailer, a second member, or odd header flags.
    /// </summary>
    public static Mutant Gzip(Random rng, byte[] plain, Func<Random, byte[], Mutant> mutatePlain)
    {
        byte[] gz = DataTestFiles.Gzip(plain);
        switch (rng.Next(7))
        {
            case 0:
            {
                var inner = mutatePlain(rng, plain);
                return new($"gzip of ({inner.Description})", DataTestFiles.Gzip(inner.Bytes));
            }
            case 1: return Overwrite(rng, gz, gz.Length - 8, 4, bigEndian: false) with { Description = "CRC-32 := extreme" };
            case 2: return Overwrite(rng, gz, gz.Length - 4, 4, bigEndian: false) with { Description = "ISIZE := extreme" };
            case 3:
            {
                byte[] second = rng.Next(2) == 0 ? plain : Flip(rng, plain).Bytes;
                return new("second gzip member", [.. gz, .. DataTestFiles.Gzip(second)]);
            }
            case 4:
            {
                var bytes = (byte[])gz.Clone();
                bytes[3] = (byte)rng.Next(1, 256);
                return new($"header flags := 0x{bytes[3]:X2}", bytes);
            }
            case 5:
            {
                // A flip inside the deflate data with the trailer left as it was.
                var bytes = (byte[])gz.Clone();
                int offset = rng.Next(10, bytes.Length - 8);
                bytes[offset] ^= (byte)rng.Next(1, 256);
                return new($"deflate flip at {offset}", bytes);
            }
            default: return Raw(rng, gz);
        }
    }

    /// <summary>A CIFAR file: label bytes out of range, cuts at and around record boundaries, whole extra records.</summary>
    public static Mutant Cifar(Random rng, byte[] original, int recordSize, int labelBytes)
    {
        switch (rng.Next(5))
        {
            case 0:
            {
                var bytes = (byte[])original.Clone();
                int offset = recordSize * rng.Next(bytes.Length / recordSize) + rng.Next(labelBytes);
                bytes[offset] = OddLabels[rng.Next(OddLabels.Length)];
                return new($"label at {offset} := {bytes[offset]}", bytes);
            }
            case 1:
            {
                int length = Math.Max(0, recordSize * rng.Next(original.Length / recordSize + 1) + rng.Next(-1, 2));
                length = Math.Min(length, original.Length);
                return new($"cut to {length}", original[..length]);
            }
            case 2:
            {
                var record = original[..recordSize];
                return new("one more record", [.. original, .. record]);
            }
            case 3:
            {
                var inner = Raw(rng, original);
                return new($"gzip of ({inner.Description})", DataTestFiles.Gzip(inner.Bytes));
            }
            default: return Raw(rng, original);
        }
    }

    /// <summary>The big-endian int32 at <paramref name="offset"/>.</summary>
    public static int BigEndianAt(byte[] bytes, int offset) => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
}
