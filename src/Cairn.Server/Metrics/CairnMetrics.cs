using Cairn.Protocol;
using Cairn.Server.Node;

namespace Cairn.Server.Metrics;

/// <summary>
/// Everything /metrics reports, under etcd's metric names for what Cairn has. The counters that must be counted
/// as they happen (gRPC calls, WAL fsync durations) live here; the rest is read from the member at scrape time.
/// </summary>
public sealed class CairnMetrics
{
    /// <summary>The per-method gRPC counters; hand it to the gRPC server and the JSON gateway.</summary>
    public GrpcServerMetrics Grpc { get; } = new();

    /// <summary>WAL sync durations (etcd_disk_wal_fsync_duration_seconds); hand <see cref="DurationHistogram.Observe"/> to the WAL.</summary>
    public DurationHistogram WalFsync { get; } = new(DurationHistogram.EtcdDiskBucketsSeconds());

    /// <summary>Per-peer transport counters; hand it to the peer transport.</summary>
    public PeerTransportMetrics Peers { get; } = new();

    /// <summary>Renders the whole exposition for <paramref name="node"/>.</summary>
    public string Render(EtcdNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var writer = new PrometheusTextWriter();
        WriteServer(writer, node);
        writer.Histogram("etcd_disk_wal_fsync_duration_seconds",
            "The latency distributions of fsync called by WAL.", WalFsync.Snapshot());
        writer.Single("etcd_mvcc_db_total_size_in_bytes", "gauge",
            "Total size of the underlying database physically allocated in bytes.", node.State.Store.SizeBytes);
        writer.Single("etcd_debugging_mvcc_keys_total", "gauge", "Total number of keys.", node.State.Store.IndexedKeyCount);
        Grpc.WriteTo(writer);
        Peers.WriteTo(writer);
        ProcessMetrics.WriteTo(writer);
        return writer.ToString();
    }

    private static void WriteServer(PrometheusTextWriter writer, EtcdNode node)
    {
        ulong leaderId = node.LeaderId;
        writer.Single("etcd_server_has_leader", "gauge", "Whether or not a leader exists. 1 is existence, 0 is not.", leaderId != 0 ? 1 : 0);
        writer.Single("etcd_server_is_leader", "gauge", "Whether or not this member is a leader. 1 if is, 0 otherwise.",
            leaderId != 0 && leaderId == node.MemberId ? 1 : 0);
        writer.Single("etcd_server_leader_changes_seen_total", "counter", "The number of leader changes seen.", node.LeaderChangesSeen);
        long snapshotsInstalled = node.SnapshotsInstalled;
        if (snapshotsInstalled > 0)
        {
            // etcd's counter (per sender; Cairn counts all senders in one series), absent until the first snapshot as
            // a Go counter vector is.
            writer.Single("etcd_network_snapshot_receive_success", "counter", "Total number of successful snapshot receives",
                snapshotsInstalled);
        }

        writer.Single("etcd_server_proposals_committed_total", "gauge", "The total number of consensus proposals committed.", node.CommitIndex);
        writer.Single("etcd_server_proposals_applied_total", "gauge", "The total number of consensus proposals applied.", node.AppliedIndex);
        writer.Single("etcd_server_proposals_pending", "gauge", "The current number of pending proposals to commit.", node.PendingProposals);
        writer.Single("etcd_server_proposals_failed_total", "counter", "The total number of failed proposals seen.", node.ProposalsFailed);
        writer.Family("etcd_server_version", "gauge", "Which version is running. 1 for 'server_version' label with current version.");
        writer.Sample("etcd_server_version", [("server_version", EtcdCompatibility.ServerVersion)], 1);
    }
}
