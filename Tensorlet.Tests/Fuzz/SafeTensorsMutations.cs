using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using static Tensorlet.Tests.Fuzz.Mutations;

namespace Tensorlet.Tests.Fuzz;

/// <summary>
/// Mutations of a safetensors file that reach past the JSON parser: numbers, dtypes, shapes, offsets and strings of
/// the header replaced with extreme or odd values (the length prefix rewritten to match, or not), plus the 8-byte
/// length overwritten and format-blind damage.
/// </summary>
internal static partial class SafeTensorsMutations
{
    private static readonly string[] Numbers =
        ["0", "-1", "1", "2147483647", "2147483648", "-2147483648", "9223372036854775807", "9223372036854775808",
         "18446744073709551616", "1e400", "1.5", "-0", "1e2", "007"];

    private static readonly string[] DTypes = ["F32", "F64", "I64", "BF16", "F16", "U8", "BOOL", "Q7", "", "f32", "F32 "];

    /// <summary>JSON string bodies (already escaped): lone surrogates, a valid pair, NUL, quotes, the reserved key, length.</summary>
    private static readonly string[] Strings =
        [@"\ud800", @"a\udc00", @"\udbff\udfff", @"\ud83d\ude00", @"\u0000", @"\""", @"\\", "", "__metadata__", "é", "sha256",
         "format", new string('n', 300), @"\x", @"\u12"];

    private static readonly string[] Arrays =
        ["[]", "[0]", "[-1]", "[2147483647,2147483647]", "[9223372036854775807]", "[1,1,1,1,1,1,1,1,1]", "[3.5]", "[\"3\"]",
         "null", "{}", "[0,0]", "[0,9223372036854775807]", "[[1]]"];

    [GeneratedRegex(@"-?\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex JsonString();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex JsonArray();

    public static Mutant Mutate(Random rng, byte[] original)
    {
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        string json = Encoding.UTF8.GetString(original, 8, headerLength);
        byte[] data = original[(8 + headerLength)..];
        switch (rng.Next(8))
        {
            case 0: return Replace(rng, json, data, Number(), Numbers, "number");
            case 1: return Replace(rng, json, data, JsonString(), [.. DTypes.Select(d => $"\"{d}\""), .. Strings.Select(s => $"\"{s}\"")], "string");
            case 2: return Replace(rng, json, data, JsonArray(), Arrays, "array");
            case 3:
            {
                int at = rng.Next(json.Length);
                string edited = rng.Next(2) == 0 ? json.Remove(at, 1) : json.Insert(at, "{}[]\":,\\ x0"[rng.Next(11)].ToString());
                return Build($"JSON edit at {at}", edited, data, rng);
            }
            case 4:
            {
                var bytes = (byte[])original.Clone();
                ulong value = rng.Next(4) switch
                {
                    0 => (ulong)Extremes[rng.Next(Extremes.Length)],
                    1 => (ulong)(headerLength + rng.Next(-8, 9)),
                    2 => 1UL << 63,
                    _ => (ulong)rng.NextInt64(),
                };
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
                return new($"header length := {value}", bytes);
            }
            default: return Raw(rng, original);
        }
    }

    private static Mutant Replace(Random rng, string json, byte[] data, Regex pattern, string[] choices, string what)
    {
        var matches = pattern.Matches(json);
        if (matches.Count == 0) return Build($"no {what} to replace", json, data, rng);
        var match = matches[rng.Next(matches.Count)];
        string replacement = choices[rng.Next(choices.Length)];
        string edited = json[..match.Index] + replacement + json[(match.Index + match.Length)..];
        return Build($"{what} {match.Value[..Math.Min(match.Value.Length, 40)]} := {replacement[..Math.Min(replacement.Length, 40)]}", edited, data, rng);
    }

    /// <summary>Reassembles the file; usually the length prefix matches the new header, sometimes it keeps the old one.</summary>
    private static Mutant Build(string description, string json, byte[] data, Random rng)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        if (rng.Next(2) == 0) header = [.. header, .. Enumerable.Repeat((byte)' ', (8 - header.Length % 8) % 8)];
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return new(description, bytes);
    }
}
