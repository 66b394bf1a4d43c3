namespace Cairn.Server.Node;

/// <summary>
/// Request IDs that are unique per member across restarts, as etcd's idutil makes them: the low 16 bits of the member
/// ID on top, then a counter started from the clock (milliseconds, shifted so a restart never reuses a recent value).
/// </summary>
public sealed class RequestIdGenerator
{
    private const int CounterBits = 48;
    private const ulong CounterMask = (1UL << CounterBits) - 1;
    private readonly ulong _prefix;
    private ulong _counter;

    /// <summary>Creates a generator for <paramref name="memberId"/>, seeded with <paramref name="unixTimeMs"/>.</summary>
    public RequestIdGenerator(ulong memberId, long unixTimeMs)
    {
        _prefix = (memberId & 0xFFFF) << CounterBits;
        _counter = ((ulong)unixTimeMs & ((1UL << 40) - 1)) << 8;
    }

    /// <summary>The next ID (never 0). Thread-safe.</summary>
    public ulong Next()
    {
        while (true)
        {
            ulong id = _prefix | (Interlocked.Increment(ref _counter) & CounterMask);
            if (id != 0)
            {
                return id;
            }
        }
    }
}
