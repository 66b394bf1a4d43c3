namespace Cairn.Raft;

/// <summary>
/// The only source of randomness in the core (for randomized election timeouts). Injected so that runs are
/// reproducible: the simulator passes a seeded generator; a server passes one seeded from real entropy.
/// </summary>
public interface IRaftRandom
{
    /// <summary>A uniformly distributed integer in [0, <paramref name="maxExclusive"/>).</summary>
    int Next(int maxExclusive);
}

/// <summary>A small, fast, seeded generator (SplitMix64): the same seed always gives the same sequence.</summary>
public sealed class SeededRandom : IRaftRandom
{
    private ulong state;

    /// <summary>Creates a generator from <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed) => state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <inheritdoc />
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), "the bound must be positive");
        }

        return (int)(NextUInt64() % (ulong)maxExclusive);
    }
}
