namespace Cairn.Raft;

/// <summary>Why an election starts.</summary>
internal enum CampaignKind : byte
{
    /// <summary>A pre-vote round first (when pre-vote is on).</summary>
    PreElection,

    /// <summary>A normal election.</summary>
    Election,

    /// <summary>An election asked for by the leader (MsgTimeoutNow): skips pre-vote and overrides leases.</summary>
    Transfer,
}

internal sealed partial class Raft
{
    // Page size for scanning committed-but-unapplied entries for membership changes before campaigning.
    private const ulong ConfChangeScanPageBytes = 1024 * 1024;

    private void TickElection()
    {
        ElectionElapsedTicks++;
        if (Promotable && ElectionElapsedTicks >= RandomizedElectionTimeoutTicks)
        {
            ElectionElapsedTicks = 0;
            Step(new Message { From = Id, Type = MessageType.Hup });
        }
    }

    private void Hup(CampaignKind kind)
    {
        if (Role == RaftRole.Leader || !Promotable)
        {
            return;
        }

        if (Log.HasUnappliedConfChanges(ConfChangeScanPageBytes))
        {
            // Our configuration would lag behind our own committed log: apply first, campaign at the next timeout.
            return;
        }

        if (kind == CampaignKind.Election && !Tracker.IsVoter(Id))
        {
            // A caretaker (removed member) always asks first: voters that hear from a leader refuse, so a removed
            // node whose cluster is healthy never disrupts it.
            kind = CampaignKind.PreElection;
        }

        Campaign(kind);
    }

    private void Campaign(CampaignKind kind)
    {
        ulong voteTerm;
        MessageType voteType;
        if (kind == CampaignKind.PreElection)
        {
            BecomePreCandidate();
            voteType = MessageType.PreVote;
            voteTerm = Term + 1; // the term we would enter; not entered yet
        }
        else
        {
            BecomeCandidate();
            voteType = MessageType.Vote;
            voteTerm = Term;
        }

        // Our own vote counts first; a single-voter cluster wins at once.
        if (Poll(Id, granted: true) == VoteResult.Won)
        {
            WinElection(kind);
            return;
        }

        ulong lastIndex = Log.LastIndex();
        ulong lastTerm = Log.LastTerm();
        ReadOnlyMemory<byte> context = kind == CampaignKind.Transfer ? CampaignTransferContext : ReadOnlyMemory<byte>.Empty;
        foreach (ulong id in Tracker.Voters)
        {
            if (id != Id)
            {
                Send(new Message { To = id, Term = voteTerm, Type = voteType, Index = lastIndex, LogTerm = lastTerm, Context = context });
            }
        }
    }

    private VoteResult Poll(ulong from, bool granted)
    {
        Tracker.RecordVote(from, granted);
        return Tracker.TallyVotes().Result;
    }

    private void HandleVoteResponse(Message m)
    {
        switch (Poll(m.From, !m.Reject))
        {
            case VoteResult.Won:
                WinElection(Role == RaftRole.PreCandidate ? CampaignKind.PreElection : CampaignKind.Election);
                break;
            case VoteResult.Lost:
                // A pre-vote loss keeps our term; a real loss keeps the term we entered. Either way, wait for the
                // next timeout (pre-vote responses may carry a higher term, handled in Step already).
                BecomeFollower(Term, None);
                break;
        }
    }

    private void WinElection(CampaignKind kind)
    {
        if (kind == CampaignKind.PreElection)
        {
            Campaign(CampaignKind.Election);
            return;
        }

        BecomeLeader();
        BroadcastAppend();
    }
}
