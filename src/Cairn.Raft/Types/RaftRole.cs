namespace Cairn.Raft;

/// <summary>The role a node plays in its current term.</summary>
public enum RaftRole : byte
{
    /// <summary>Follows a leader (or waits for one).</summary>
    Follower = 0,

    /// <summary>Asks for votes in a new term.</summary>
    Candidate = 1,

    /// <summary>Replicates the log and decides what is committed.</summary>
    Leader = 2,

    /// <summary>Asks whether it could win an election before disrupting the cluster with a new term (pre-vote).</summary>
    PreCandidate = 3,
}
