using System.Collections.Concurrent;
using System.Globalization;

namespace Cairn.Server.Metrics;

/// <summary>
/// Per-peer counters of the raft peer transport, under etcd's names where etcd has the metric (bytes, send failures,
/// snapshot sends) and cairn_* for the rest. The transport counts as it sends and receives; /metrics reads them.
/// </summary>
public sealed class PeerTransportMetrics
{
    private readonly ConcurrentDictionary<ulong, PeerCounters> _peers = new();

    /// <summary>The counters of the stream to and from <paramref name="peerId"/> (created on first use).</summary>
    public PeerCounters For(ulong peerId) => _peers.GetOrAdd(peerId, static _ => new PeerCounters());

    /// <summary>Writes every family, one sample per peer seen so far (labelled with its hex member ID, as etcd).</summary>
    public void WriteTo(PrometheusTextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        List<(string Id, PeerCounters Counters)> peers = [.. _peers.OrderBy(p => p.Key)
            .Select(p => (p.Key.ToString("x", CultureInfo.InvariantCulture), p.Value))];
        Write(writer, peers, "etcd_network_peer_sent_bytes_total", "counter", "The total number of bytes sent to peers.",
            "To", c => c.SentBytes);
        Write(writer, peers, "etcd_network_peer_received_bytes_total", "counter", "The total number of bytes received from peers.",
            "From", c => c.ReceivedBytes);
        Write(writer, peers, "etcd_network_peer_sent_failures_total", "counter",
            "The total number of messages to peers that were dropped (not connected, queue full, or queued when the stream broke).",
            "To", c => c.SendFailures);
        Write(writer, peers, "cairn_network_peer_messages_sent_total", "counter", "The total number of frames written to peers.",
            "To", c => c.MessagesSent);
        Write(writer, peers, "cairn_network_peer_connections_total", "counter",
            "The total number of outbound peer connections established (the first and every reconnect).", "To", c => c.Connections);
        Write(writer, peers, "cairn_network_peer_queue_depth", "gauge", "Frames queued for a peer and not yet written.",
            "To", c => c.QueueDepth?.Invoke() ?? 0);
        Write(writer, peers, "etcd_network_snapshot_send_success", "counter", "Total number of successful snapshot sends.",
            "To", c => c.SnapshotSendSuccesses);
        Write(writer, peers, "etcd_network_snapshot_send_failures", "counter", "Total number of snapshot send failures.",
            "To", c => c.SnapshotSendFailures);
    }

    private static void Write(PrometheusTextWriter writer, List<(string Id, PeerCounters Counters)> peers, string name, string type,
        string help, string label, Func<PeerCounters, long> value)
    {
        if (peers.Count == 0)
        {
            // A single member has no peers: like a Go counter vector without series, the family is not shown at all.
            return;
        }

        writer.Family(name, type, help);
        foreach ((string id, PeerCounters counters) in peers)
        {
            writer.Sample(name, [(label, id)], value(counters));
        }
    }
}

/// <summary>The counters of one peer; thread-safe.</summary>
public sealed class PeerCounters
{
    private long _sentBytes;
    private long _receivedBytes;
    private long _sendFailures;
    private long _messagesSent;
    private long _connections;
    private long _snapshotSendSuccesses;
    private long _snapshotSendFailures;

    /// <summary>Bytes of frames written to the peer.</summary>
    public long SentBytes => Interlocked.Read(ref _sentBytes);

    /// <summary>Bytes of frames read from the peer (length prefix included).</summary>
    public long ReceivedBytes => Interlocked.Read(ref _receivedBytes);

    /// <summary>Frames dropped instead of sent.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Frames written to the peer.</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>Outbound connections established.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Snapshots sent completely.</summary>
    public long SnapshotSendSuccesses => Interlocked.Read(ref _snapshotSendSuccesses);

    /// <summary>Snapshots that failed or were dropped.</summary>
    public long SnapshotSendFailures => Interlocked.Read(ref _snapshotSendFailures);

    /// <summary>Reads the current queue depth of the peer's outbound stream (set by the stream that owns the queue).</summary>
    public Func<long>? QueueDepth { get; set; }

    /// <summary>A frame of <paramref name="bytes"/> was written.</summary>
    public void Sent(long bytes)
    {
        Interlocked.Increment(ref _messagesSent);
        Interlocked.Add(ref _sentBytes, bytes);
    }

    /// <summary>A frame of <paramref name="bytes"/> was read.</summary>
    public void Received(long bytes) => Interlocked.Add(ref _receivedBytes, bytes);

    /// <summary>A frame was dropped.</summary>
    public void Dropped() => Interlocked.Increment(ref _sendFailures);

    /// <summary>An outbound connection was established.</summary>
    public void Connected() => Interlocked.Increment(ref _connections);

    /// <summary>A snapshot send ended.</summary>
    public void SnapshotSent(bool succeeded) =>
        Interlocked.Increment(ref succeeded ? ref _snapshotSendSuccesses : ref _snapshotSendFailures);
}
