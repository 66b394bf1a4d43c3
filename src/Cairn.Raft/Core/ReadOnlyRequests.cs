namespace Cairn.Raft;

/// <summary>
/// A leader's pending safe ReadIndex requests: each waits for a majority to acknowledge a heartbeat that carries
/// its context. An acknowledgement of a later request also confirms every earlier one (they queue in order).
/// </summary>
internal sealed class ReadOnlyRequests
{
    private readonly Dictionary<ReadOnlyMemory<byte>, PendingRead> pending = new(ContextComparer.Instance);
    private readonly Queue<ReadOnlyMemory<byte>> order = new();
    private readonly int maxPending;

    public ReadOnlyRequests(int maxPending) => this.maxPending = maxPending;

    public int Count => order.Count;

    /// <summary>Queues a request to be answered at <paramref name="commitIndex"/>; false when it is a duplicate or the queue is full.</summary>
    public bool Add(ulong commitIndex, Message request)
    {
        if (pending.ContainsKey(request.Context) || order.Count >= maxPending)
        {
            return false;
        }

        pending[request.Context] = new PendingRead(request, commitIndex);
        order.Enqueue(request.Context);
        return true;
    }

    /// <summary>Records that <paramref name="from"/> acknowledged the round of <paramref name="context"/>; returns the acks so far, or null if unknown.</summary>
    public Dictionary<ulong, bool>? RecordAck(ulong from, ReadOnlyMemory<byte> context)
    {
        if (!pending.TryGetValue(context, out PendingRead? read))
        {
            return null;
        }

        read.Acks[from] = true;
        return read.Acks;
    }

    /// <summary>Removes and returns every request up to and including the one with <paramref name="context"/>.</summary>
    public List<PendingRead> Advance(ReadOnlyMemory<byte> context)
    {
        var confirmed = new List<PendingRead>();
        if (!pending.ContainsKey(context))
        {
            return confirmed;
        }

        while (order.Count > 0)
        {
            ReadOnlyMemory<byte> next = order.Dequeue();
            pending.Remove(next, out PendingRead? read);
            confirmed.Add(read!);
            if (ContextComparer.Instance.Equals(next, context))
            {
                break;
            }
        }

        return confirmed;
    }

    public void Clear()
    {
        pending.Clear();
        order.Clear();
    }

    /// <summary>One queued read.</summary>
    internal sealed class PendingRead(Message request, ulong index)
    {
        public Message Request { get; } = request;

        public ulong Index { get; } = index;

        public Dictionary<ulong, bool> Acks { get; } = [];
    }

    /// <summary>Compares contexts by content (they arrive in different buffers than they were sent from).</summary>
    private sealed class ContextComparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly ContextComparer Instance = new();

        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<byte> obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj.Span);
            return hash.ToHashCode();
        }
    }
}
