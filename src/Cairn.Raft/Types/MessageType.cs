namespace Cairn.Raft;

/// <summary>
/// Raft message kinds. The numeric values are part of the binary codec format and match etcd's raftpb
/// numbering. "Local" kinds are generated inside a node and refused when they arrive from the network.
/// </summary>
public enum MessageType : byte
{
    /// <summary>Local: start an election (what an election timeout or <c>Campaign</c> does).</summary>
    Hup = 0,

    /// <summary>Local: tell a leader to broadcast heartbeats.</summary>
    Beat = 1,

    /// <summary>A proposal: local, or forwarded by a follower to the leader.</summary>
    Propose = 2,

    /// <summary>Leader to follower: entries to append after (Index, LogTerm), and the leader's commit index.</summary>
    Append = 3,

    /// <summary>Follower to leader: the result of an Append (or of installing a snapshot).</summary>
    AppendResponse = 4,

    /// <summary>Candidate to voter: vote for me in Term.</summary>
    Vote = 5,

    /// <summary>Voter to candidate: the vote, or a rejection.</summary>
    VoteResponse = 6,

    /// <summary>Leader to follower: install this snapshot.</summary>
    Snapshot = 7,

    /// <summary>Leader to follower: I am still leader; here is how far you may commit.</summary>
    Heartbeat = 8,

    /// <summary>Follower to leader: heartbeat acknowledged.</summary>
    HeartbeatResponse = 9,

    /// <summary>Local: the transport could not reach a peer (<c>RawNode.ReportUnreachable</c>).</summary>
    Unreachable = 10,

    /// <summary>Local: the transport finished sending a snapshot (<c>RawNode.ReportSnapshot</c>).</summary>
    SnapshotStatus = 11,

    /// <summary>Local: a leader checks that a quorum is still active (check-quorum).</summary>
    CheckQuorum = 12,

    /// <summary>Ask the leader to hand leadership to <see cref="Message.From"/>; local or forwarded.</summary>
    TransferLeader = 13,

    /// <summary>Leader to transfer target: start an election now, skipping pre-vote and leases.</summary>
    TimeoutNow = 14,

    /// <summary>A linearizable read request: local, or forwarded by a follower to the leader.</summary>
    ReadIndex = 15,

    /// <summary>Leader to follower: the read index for a forwarded ReadIndex request.</summary>
    ReadIndexResponse = 16,

    /// <summary>Pre-candidate to voter: would you vote for me in Term (which I have not entered yet)?</summary>
    PreVote = 17,

    /// <summary>Voter to pre-candidate: the pre-vote, or a rejection.</summary>
    PreVoteResponse = 18,
}

/// <summary>Classifications of <see cref="MessageType"/>.</summary>
public static class MessageTypes
{
    /// <summary>The highest defined message type; used by the codec to validate input.</summary>
    public const MessageType Max = MessageType.PreVoteResponse;

    /// <summary>True for kinds that only a node generates for itself and that must never arrive from the network.</summary>
    public static bool IsLocal(MessageType type) => type is MessageType.Hup or MessageType.Beat or MessageType.Unreachable
        or MessageType.SnapshotStatus or MessageType.CheckQuorum;

    /// <summary>True for answers to a request the receiver sent.</summary>
    public static bool IsResponse(MessageType type) => type is MessageType.AppendResponse or MessageType.VoteResponse
        or MessageType.HeartbeatResponse or MessageType.Unreachable or MessageType.PreVoteResponse;

    /// <summary>The response kind for a vote request kind.</summary>
    internal static MessageType VoteResponseFor(MessageType request) => request switch
    {
        MessageType.Vote => MessageType.VoteResponse,
        MessageType.PreVote => MessageType.PreVoteResponse,
        _ => throw Invariant.Violated($"not a vote request: {request}"),
    };
}
