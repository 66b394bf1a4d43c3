namespace Cairn.Raft;

/// <summary>
/// Flow control for one follower in the replicate state: the Append messages sent but not yet acknowledged,
/// limited by count (MaxInflightMsgs) and by payload bytes (MaxInflightBytes). A ring buffer of (last index,
/// bytes) per message, freed from the front as acknowledgements arrive.
/// </summary>
internal sealed class Inflights
{
    private readonly int capacity;
    private readonly ulong maxBytes;
    private (ulong LastIndex, ulong Bytes)[] ring = [];
    private int start;

    public Inflights(int capacity, ulong maxBytes)
    {
        Invariant.Check(capacity > 0, "inflight capacity must be positive");
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /// <summary>Messages in flight.</summary>
    public int Count { get; private set; }

    /// <summary>Payload bytes in flight.</summary>
    public ulong Bytes { get; private set; }

    /// <summary>No more messages may be sent: the count or the byte budget is used up (0 bytes = no byte limit).</summary>
    public bool Full => Count == capacity || (maxBytes != 0 && Bytes >= maxBytes);

    /// <summary>Records a sent message whose last entry is <paramref name="lastIndex"/>.</summary>
    public void Add(ulong lastIndex, ulong bytes)
    {
        Invariant.Check(!Full, "cannot add an inflight message when the window is full");
        if (ring.Length == 0)
        {
            // Allocated on first use: most followers of an idle cluster never need a window.
            ring = new (ulong, ulong)[capacity];
        }

        if (Count > 0)
        {
            ulong previous = ring[(start + Count - 1) % capacity].LastIndex;
            Invariant.Check(lastIndex > previous, "inflight messages must be added in increasing index order");
        }

        ring[(start + Count) % capacity] = (lastIndex, bytes);
        Count++;
        Bytes += bytes;
    }

    /// <summary>Frees every message whose last index is ≤ <paramref name="acknowledgedIndex"/>.</summary>
    public void FreeLE(ulong acknowledgedIndex)
    {
        while (Count > 0 && ring[start].LastIndex <= acknowledgedIndex)
        {
            Bytes -= ring[start].Bytes;
            start = (start + 1) % capacity;
            Count--;
        }

        if (Count == 0)
        {
            start = 0;
        }
    }

    public void Reset()
    {
        Count = 0;
        Bytes = 0;
        start = 0;
    }
}
