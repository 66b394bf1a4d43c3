using Microsoft.Extensions.Logging;

namespace Cairn.Server.Node;

/// <summary>The node's log messages (source-generated).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(100, LogLevel.Information, "bootstrapping a new cluster: member {MemberId:x} of cluster {ClusterId:x}", EventName = "bootstrap")]
    public static partial void Bootstrapping(ILogger logger, ulong memberId, ulong clusterId);

    [LoggerMessage(101, LogLevel.Information, "recovered member {MemberId:x}: state at entry {AppliedIndex}, WAL entries {FirstIndex}..{LastIndex} ({Recovery})", EventName = "recovered")]
    public static partial void Recovered(ILogger logger, ulong memberId, ulong appliedIndex, ulong firstIndex, ulong lastIndex, string recovery);

    [LoggerMessage(102, LogLevel.Warning, "skipping damaged snapshot {Path}: {Reason}", EventName = "snapshot_damaged")]
    public static partial void DamagedSnapshotSkipped(ILogger logger, string path, string reason);

    [LoggerMessage(103, LogLevel.Information, "loaded snapshot {Path} (entry {AppliedIndex}, revision {Revision})", EventName = "snapshot_loaded")]
    public static partial void SnapshotLoaded(ILogger logger, string path, ulong appliedIndex, long revision);

    [LoggerMessage(104, LogLevel.Information, "WAL: {Message}", EventName = "wal")]
    public static partial void WalEvent(ILogger logger, string message);

    [LoggerMessage(105, LogLevel.Information, "leader is now {LeaderId:x} (term {Term}); this member is {Role}", EventName = "leader_changed")]
    public static partial void LeaderChanged(ILogger logger, ulong leaderId, ulong term, string role);

    [LoggerMessage(106, LogLevel.Warning, "no leader (term {Term})", EventName = "leader_lost")]
    public static partial void LeaderLost(ILogger logger, ulong term);

    [LoggerMessage(107, LogLevel.Critical, "member stopped after a fatal error; it acknowledges nothing more and must be restarted: {Problem}", EventName = "fatal")]
    public static partial void Fatal(ILogger logger, Exception error, string problem);

    [LoggerMessage(108, LogLevel.Information, "serving: recovery done at entry {AppliedIndex}, leader {LeaderId:x}", EventName = "node_serving")]
    public static partial void NodeServing(ILogger logger, ulong appliedIndex, ulong leaderId);

    [LoggerMessage(109, LogLevel.Information, "snapshot {Path} written at entry {Index} ({Bytes} bytes, {ElapsedMs} ms); WAL compacted to entry {CompactedTo}, {Released} segment(s) released", EventName = "snapshot_written")]
    public static partial void SnapshotWritten(ILogger logger, string path, ulong index, long bytes, long elapsedMs, ulong compactedTo, int released);

    [LoggerMessage(110, LogLevel.Error, "writing a snapshot failed (will retry after more entries): {Problem}", EventName = "snapshot_failed")]
    public static partial void SnapshotFailed(ILogger logger, Exception error, string problem);

    [LoggerMessage(111, LogLevel.Warning, "space quota of {QuotaBytes} bytes exceeded: raising the NOSPACE alarm; writes are refused until space is freed (compact, then `cairn alarm disarm`)", EventName = "nospace")]
    public static partial void QuotaExceeded(ILogger logger, long quotaBytes);

    [LoggerMessage(112, LogLevel.Information, "auto-compaction: compacting to revision {Revision}", EventName = "auto_compaction")]
    public static partial void AutoCompacting(ILogger logger, long revision);

    [LoggerMessage(113, LogLevel.Warning, "auto-compaction to revision {Revision} failed: {Problem}", EventName = "auto_compaction_failed")]
    public static partial void AutoCompactionFailed(ILogger logger, long revision, string problem);

    [LoggerMessage(115, LogLevel.Information, "installed the leader's snapshot {Path} (entry {Index}, revision {Revision})", EventName = "snapshot_installed")]
    public static partial void SnapshotInstalled(ILogger logger, string path, ulong index, long revision);

    [LoggerMessage(116, LogLevel.Warning, "member {MemberId:x}: the member has been permanently removed from the cluster ({How}); stopping", EventName = "member_removed")]
    public static partial void Removed(ILogger logger, ulong memberId, string how);

    [LoggerMessage(114, LogLevel.Information, "recovering: applied {AppliedIndex} of {CommitIndex} committed entries", EventName = "replay_progress")]
    public static partial void ReplayProgress(ILogger logger, ulong appliedIndex, ulong commitIndex);
}
