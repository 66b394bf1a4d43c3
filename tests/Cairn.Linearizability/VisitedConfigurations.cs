namespace Cairn.Linearizability;

/// <summary>
/// The WGL memo with dominance for optional (unknown-outcome) operations. Two points with the same
/// linearized required operations and the same state differ only in which optional operations they used;
/// the one that used fewer can do everything the other can (an unused optional operation never blocks
/// anything and may still be applied later), so a new point is pruned when a visited one used a subset of
/// its optional operations. Without this, every unobserved timed-out write would double the search.
/// </summary>
internal sealed class VisitedConfigurations
{
    private readonly ulong[] optionalMask;
    private readonly Dictionary<SearchConfiguration, List<ulong[]>> optionalSetsByRequired = [];

    /// <summary>Creates the memo; bit i of <paramref name="optionalMask"/> marks entry i optional.</summary>
    public VisitedConfigurations(ulong[] optionalMask) => this.optionalMask = optionalMask;

    /// <summary>False when <paramref name="configuration"/> or one that dominates it was visited; otherwise records it.</summary>
    public bool TryAdd(SearchConfiguration configuration)
    {
        ulong[] bits = configuration.Linearized;
        var required = new ulong[bits.Length];
        var optional = new ulong[bits.Length];
        for (int word = 0; word < bits.Length; word++)
        {
            required[word] = bits[word] & ~optionalMask[word];
            optional[word] = bits[word] & optionalMask[word];
        }

        var key = new SearchConfiguration(required, configuration.State);
        if (!optionalSetsByRequired.TryGetValue(key, out List<ulong[]>? seenSets))
        {
            optionalSetsByRequired[key] = [optional];
            return true;
        }

        foreach (ulong[] seen in seenSets)
        {
            if (IsSubset(seen, optional))
            {
                return false;
            }
        }

        seenSets.Add(optional);
        return true;
    }

    private static bool IsSubset(ulong[] smaller, ulong[] larger)
    {
        for (int word = 0; word < smaller.Length; word++)
        {
            if ((smaller[word] & ~larger[word]) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
