namespace Tensorlet;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64). Every source of randomness in
/// Tensorlet — initialisation, dropout, shuffling, augmentation — takes one of these, so a seed fixes a run.
/// Its sequence is defined here, not by the runtime, so results do not change with the .NET version.
/// </summary>
public sealed class Generator
{
    private ulong _s0, _s1, _s2, _s3;
    private float _spareNormal;
    private bool _hasSpare;

    public Generator(ulong seed) => ManualSeed(seed);

    /// <summary>The generator used when an API is not given one; reseed it with <see cref="ManualSeed"/>.</summary>
    public static Generator Default { get; } = new(0);

    /// <summary>Restarts the sequence from <paramref name="seed"/>.</summary>
    public void ManualSeed(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
        _hasSpare = false;
    }

    /// <summary>The full internal state, for checkpoints.</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3, _hasSpare ? 1UL : 0UL, BitConverter.SingleToUInt32Bits(_spareNormal)];

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    public void SetState(ulong[] state)
    {
        if (state is not { Length: 6 }) throw new ArgumentException("A generator state has exactly 6 words.", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _hasSpare = state[4] != 0;
        _spareNormal = BitConverter.UInt32BitsToSingle((uint)state[5]);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits (every float32 step of that grid equally likely).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [0, n), without modulo bias.</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "NextInt needs n > 0.");
        ulong bound = (ulong)n;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (int)(r % bound);
    }

    /// <summary>Standard normal (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public float NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        double u1 = ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53)); // (0, 1]: log is finite
        double u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = (float)(r * Math.Sin(2 * Math.PI * u2));
        _hasSpare = true;
        return (float)(r * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
