namespace Cairn.Linearizability;

/// <summary>
/// A memoised search point: which operations are linearized (bitset) and the model state after them.
/// Two paths reaching the same point have the same future, so the second is pruned (the WGL cache).
/// </summary>
internal sealed class SearchConfiguration : IEquatable<SearchConfiguration>
{
    private readonly int hash;

    public SearchConfiguration(ulong[] linearized, KeyState state)
    {
        Linearized = linearized;
        State = state;
        var hasher = new HashCode();
        foreach (ulong word in linearized)
        {
            hasher.Add(word);
        }

        hasher.Add(state);
        hash = hasher.ToHashCode();
    }

    /// <summary>Bit i set when entry i is linearized.</summary>
    public ulong[] Linearized { get; }

    /// <summary>The key state after the linearized entries.</summary>
    public KeyState State { get; }

    public bool IsSet(int index) => (Linearized[index >> 6] & (1UL << (index & 63))) != 0;

    /// <summary>A copy with entry <paramref name="index"/> also linearized.</summary>
    public ulong[] With(int index)
    {
        ulong[] copy = (ulong[])Linearized.Clone();
        copy[index >> 6] |= 1UL << (index & 63);
        return copy;
    }

    public bool Equals(SearchConfiguration? other) =>
        other is not null && hash == other.hash && State == other.State
        && Linearized.AsSpan().SequenceEqual(other.Linearized);

    public override bool Equals(object? obj) => Equals(obj as SearchConfiguration);

    public override int GetHashCode() => hash;
}
