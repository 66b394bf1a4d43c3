namespace Cairn.Raft;

public sealed partial class RawNode
{
    /// <summary>A copy of the node's state (for status endpoints, metrics and tests).</summary>
    public RaftStatus Status()
    {
        EnsureRunning();
        var progress = new Dictionary<ulong, ProgressStatus>();
        if (raft.Role == RaftRole.Leader)
        {
            foreach (ulong id in raft.Tracker.Members)
            {
                Progress pr = raft.Tracker.Get(id)!;
                progress[id] = new ProgressStatus(pr.Match, pr.Next, pr.State, pr.IsLearner, pr.RecentActive, pr.Inflights.Count);
            }
        }

        return new RaftStatus
        {
            Id = raft.Id,
            HardState = raft.HardState,
            SoftState = raft.SoftState,
            Applied = raft.Log.Applied,
            LastIndex = raft.Log.LastIndex(),
            LeadTransferee = raft.LeadTransferee,
            ConfState = raft.Tracker.ConfState,
            Progress = progress,
        };
    }

    /// <summary>
    /// Whether a message from the network may be stepped. The transport decodes peer bytes into messages, so a
    /// buggy or hostile peer must not be able to drive the node into an impossible state.
    /// </summary>
    private bool IsAcceptableFromNetwork(Message m)
    {
        if (MessageTypes.IsLocal(m.Type) || m.From == Raft.None || m.From == raft.Id || m.To != raft.Id)
        {
            return false;
        }

        if (MessageTypes.IsResponse(m.Type) && !raft.Tracker.Contains(m.From))
        {
            return false;
        }

        return m.Type switch
        {
            MessageType.Append => IsContiguousAppend(m),
            MessageType.Snapshot => m.Snapshot is { Index: > 0 } && m.Term > 0,
            MessageType.Propose => m.Entries.Count > 0 && m.Term == 0,
            MessageType.ReadIndex => !m.Context.IsEmpty && m.Term == 0,
            MessageType.Vote or MessageType.PreVote or MessageType.VoteResponse or MessageType.PreVoteResponse => m.Term > 0,
            _ => m.Term > 0,
        };
    }

    private static bool IsContiguousAppend(Message m)
    {
        if (m.Term == 0)
        {
            return false;
        }

        ulong previousTerm = m.LogTerm;
        for (int i = 0; i < m.Entries.Count; i++)
        {
            Entry entry = m.Entries[i];
            if (entry.Index != m.Index + 1 + (ulong)i || entry.Term < previousTerm || entry.Term > m.Term)
            {
                return false;
            }

            previousTerm = entry.Term;
        }

        return true;
    }
}
