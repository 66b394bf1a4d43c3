using Microsoft.Extensions.Logging;

namespace Cairn.Server.Peers;

/// <summary>The peer transport's log messages (source-generated).</summary>
internal static partial class PeerLog
{
    [LoggerMessage(300, LogLevel.Information, "peer transport listening on {Address}", EventName = "peer_listening")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(301, LogLevel.Information, "connected to peer {PeerId:x} at {Url}", EventName = "peer_connected")]
    public static partial void Connected(ILogger logger, ulong peerId, string url);

    [LoggerMessage(302, LogLevel.Warning, "lost the connection to peer {PeerId:x}: {Problem}; reconnecting", EventName = "peer_disconnected")]
    public static partial void Disconnected(ILogger logger, ulong peerId, string problem);

    [LoggerMessage(303, LogLevel.Warning, "peer {PeerId:x} refused this member: {Reason}", EventName = "peer_refused_us")]
    public static partial void RefusedByPeer(ILogger logger, ulong peerId, string reason);

    [LoggerMessage(304, LogLevel.Warning, "refused a peer connection from {Remote}: {Reason}", EventName = "peer_refused")]
    public static partial void RefusedPeer(ILogger logger, string remote, string reason);

    [LoggerMessage(305, LogLevel.Information, "accepted peer {PeerId:x} from {Remote}", EventName = "peer_accepted")]
    public static partial void Accepted(ILogger logger, ulong peerId, string remote);

    [LoggerMessage(306, LogLevel.Warning, "closed the stream from peer {PeerId:x}: {Problem}", EventName = "peer_stream_closed")]
    public static partial void InboundClosed(ILogger logger, ulong peerId, string problem);

    [LoggerMessage(307, LogLevel.Information, "sent snapshot {Path} ({Bytes} bytes) to peer {PeerId:x}", EventName = "peer_snapshot_sent")]
    public static partial void SnapshotSent(ILogger logger, string path, long bytes, ulong peerId);

    [LoggerMessage(308, LogLevel.Warning, "could not send a snapshot to peer {PeerId:x}: {Problem}", EventName = "peer_snapshot_failed")]
    public static partial void SnapshotFailed(ILogger logger, ulong peerId, string problem);

    [LoggerMessage(309, LogLevel.Information, "received snapshot {Path} ({Bytes} bytes) from peer {PeerId:x}", EventName = "peer_snapshot_received")]
    public static partial void SnapshotReceived(ILogger logger, string path, long bytes, ulong peerId);

    [LoggerMessage(311, LogLevel.Information, "closed the stream to peer {PeerId:x}: {Reason}", EventName = "peer_retired")]
    public static partial void PeerRetired(ILogger logger, ulong peerId, string reason);

    [LoggerMessage(312, LogLevel.Information, "answered a member list request from {Remote} (a member joining the cluster)", EventName = "peer_member_list")]
    public static partial void MemberListAnswered(ILogger logger, string remote);

    [LoggerMessage(310, LogLevel.Warning, "no peer URL is known for member {PeerId:x}; its messages are dropped", EventName = "peer_unknown_url")]
    public static partial void NoUrl(ILogger logger, ulong peerId);

    [LoggerMessage(313, LogLevel.Information, "the cluster has {Members} members now: listening for peers on {Urls}", EventName = "peer_listening_after_growth")]
    public static partial void ListeningAfterGrowth(ILogger logger, int members, string urls);

    [LoggerMessage(314, LogLevel.Error, "cannot listen for peers on {Urls} although the cluster has {Members} members now: {Problem}: {Hint}; the other members cannot reach this one until it listens; it tries again every {RetrySeconds} s and serves clients meanwhile", EventName = "peer_listen_failed")]
    public static partial void CannotListenAfterGrowth(ILogger logger, string urls, int members, string problem, string hint, int retrySeconds);
}
