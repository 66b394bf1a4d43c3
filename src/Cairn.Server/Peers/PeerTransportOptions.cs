namespace Cairn.Server.Peers;

/// <summary>Limits and timing of the raft peer transport. Every queue and buffer has a named bound here.</summary>
public sealed class PeerTransportOptions
{
    /// <summary>Messages queued for one peer before new ones are dropped and the peer is reported unreachable (raft
    /// retransmits what it still needs, so a full queue costs a retry, never data).</summary>
    public int MaxQueuedMessagesPerPeer { get; init; } = 4096;

    /// <summary>Bytes gathered into one socket write when draining a peer's queue.</summary>
    public int MaxWriteBatchBytes { get; init; } = 1 << 20;

    /// <summary>The largest raft message frame accepted from a peer (a frame is one encoded message).</summary>
    public int MaxFrameBytes { get; init; } = 64 << 20;

    /// <summary>The largest state snapshot sent or accepted (streamed to a file, not held in memory).</summary>
    public long MaxSnapshotBytes { get; init; } = 16L << 30;

    /// <summary>How long connecting and the handshake may take before the attempt counts as failed.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The first delay before reconnecting to a peer; doubles per failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest delay between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad limit.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedMessagesPerPeer, 1, nameof(MaxQueuedMessagesPerPeer));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWriteBatchBytes, 4096, nameof(MaxWriteBatchBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 4096, nameof(MaxFrameBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSnapshotBytes, 4096L, nameof(MaxSnapshotBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DialTimeout, TimeSpan.Zero, nameof(DialTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinReconnectDelay, TimeSpan.Zero, nameof(MinReconnectDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReconnectDelay, MinReconnectDelay, nameof(MaxReconnectDelay));
    }
}
