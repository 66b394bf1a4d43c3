namespace Cairn.Storage.Leases;

/// <summary>
/// Chooses IDs for LeaseGrant requests with ID 0 before they are proposed (so apply stays deterministic): the low 16
/// bits of the member ID in bits 48-62, then a counter started from the clock, as etcd's idutil does. IDs are
/// positive, increasing and not contiguous, like etcd's.
/// </summary>
public sealed class LeaseIdGenerator
{
    private const long SuffixMask = (1L << 48) - 1;
    private readonly long _prefix;
    private long _suffix;

    /// <summary>Creates a generator for a member, seeded with the current Unix time in milliseconds.</summary>
    public LeaseIdGenerator(ulong memberId, long unixTimeMs)
    {
        _prefix = (long)(memberId & 0x7FFF) << 48;
        _suffix = (unixTimeMs & ((1L << 40) - 1)) << 8;
    }

    /// <summary>The next ID (never 0). Thread-safe.</summary>
    public long Next()
    {
        while (true)
        {
            long id = _prefix | (Interlocked.Increment(ref _suffix) & SuffixMask);
            if (id != 0)
            {
                return id;
            }
        }
    }
}
