namespace Cairn.Raft;

internal sealed partial class Raft
{
    /// <summary>
    /// Handles one message: first the term rules common to all roles (§5.1), vote requests, then the role's own
    /// step function. Returns false when a proposal or read was dropped.
    /// </summary>
    public bool Step(Message m)
    {
        if (m.Term > Term)
        {
            if (!StepHigherTerm(m))
            {
                return true;
            }
        }
        else if (m.Term != 0 && m.Term < Term)
        {
            StepLowerTerm(m);
            return true;
        }

        switch (m.Type)
        {
            case MessageType.Hup:
                Hup(preVote ? CampaignKind.PreElection : CampaignKind.Election);
                return true;
            case MessageType.Vote:
            case MessageType.PreVote:
                HandleVoteRequest(m);
                return true;
            default:
                return Role switch
                {
                    RaftRole.Leader => StepLeader(m),
                    RaftRole.Candidate or RaftRole.PreCandidate => StepCandidate(m),
                    _ => StepFollower(m),
                };
        }
    }

    /// <summary>A message from a later term. Returns false when it must be ignored.</summary>
    private bool StepHigherTerm(Message m)
    {
        if (m.Type is MessageType.Vote or MessageType.PreVote)
        {
            bool force = m.Context.Span.SequenceEqual(CampaignTransferContext.Span);
            if (!force && InLease())
            {
                // We heard from a leader less than an election timeout ago: this candidate is probably a
                // partitioned node coming back, so do not let it depose a healthy leader (thesis §4.2.3).
                return false;
            }
        }

        if (m.Type == MessageType.PreVote)
        {
            // A pre-vote never changes our term.
        }
        else if (m.Type == MessageType.PreVoteResponse && !m.Reject)
        {
            // A granted pre-vote echoes the term we want; we enter it only once a majority agrees.
        }
        else if (m.Type is MessageType.Append or MessageType.Heartbeat or MessageType.Snapshot)
        {
            BecomeFollower(m.Term, m.From);
        }
        else if (m.Type == MessageType.Vote)
        {
            // Enter the term but keep our election timer running: only granting the vote resets it (§5.2). Otherwise
            // a candidate with a stale log and a fast clock could reset everyone's timer forever, and no up-to-date
            // node would ever campaign (a livelock the simulator found without pre-vote under clock skew).
            int elapsedTicks = ElectionElapsedTicks;
            int timeoutTicks = RandomizedElectionTimeoutTicks;
            BecomeFollower(m.Term, None);
            ElectionElapsedTicks = elapsedTicks;
            RandomizedElectionTimeoutTicks = timeoutTicks;
        }
        else
        {
            BecomeFollower(m.Term, None);
        }

        return true;
    }

    /// <summary>Whether this node promised (by following a leader recently) not to vote for anyone else yet.</summary>
    private bool InLease()
    {
        if (!checkQuorum)
        {
            return false;
        }

        bool followingRecently = Lead != None && ElectionElapsedTicks < electionTimeoutTicks;

        // With lease-based reads a node that just restarted may have acknowledged a heartbeat before crashing,
        // so it keeps that promise for an election timeout after starting.
        bool justStarted = readOnlyOption == ReadOnlyOption.LeaseBased && TotalTicks < (ulong)electionTimeoutTicks;
        return followingRecently || justStarted;
    }

    /// <summary>A message from an earlier term: tell stale leaders and pre-candidates about the new term, drop the rest.</summary>
    private void StepLowerTerm(Message m)
    {
        if ((checkQuorum || preVote) && m.Type is MessageType.Heartbeat or MessageType.Append)
        {
            // A leader partitioned away may never hear of the new term otherwise: with check-quorum our higher
            // term in this response makes it step down; with pre-vote, it would otherwise keep pre-campaigning.
            Send(new Message { To = m.From, Type = MessageType.AppendResponse });
        }
        else if (m.Type == MessageType.PreVote)
        {
            Send(new Message { To = m.From, Term = Term, Type = MessageType.PreVoteResponse, Reject = true });
        }
    }

    private void HandleVoteRequest(Message m)
    {
        // A pre-vote is refused while we hear from a leader (thesis §9.6), whatever the check-quorum setting.
        bool heardFromLeader = Lead != None && ElectionElapsedTicks < electionTimeoutTicks;
        bool canVote = Vote == m.From
            || (Vote == None && Lead == None)
            || (m.Type == MessageType.PreVote && m.Term > Term && !heardFromLeader);
        bool upToDate = Log.IsUpToDate(m.Index, m.LogTerm);
#if RAFT_MUTATIONS
        if (Mutated(RaftMutation.VoteWithoutLogCheck))
        {
            upToDate = true;
        }
#endif
        MessageType responseType = MessageTypes.VoteResponseFor(m.Type);
        if (canVote && upToDate)
        {
            // The response carries the candidate's term, not ours: for a pre-vote we have not entered it.
            Send(new Message { To = m.From, Term = m.Term, Type = responseType });
            if (m.Type == MessageType.Vote)
            {
                ElectionElapsedTicks = 0;
                Vote = m.From;
            }
        }
        else
        {
            Send(new Message { To = m.From, Term = Term, Type = responseType, Reject = true });
        }
    }

    private bool StepFollower(Message m)
    {
        switch (m.Type)
        {
            case MessageType.Propose:
                if (Lead == None || disableProposalForwarding)
                {
                    return false;
                }

                Send(ForwardTo(Lead, m));
                return true;
            case MessageType.Append:
                ElectionElapsedTicks = 0;
                Lead = m.From;
                HandleAppendEntries(m);
                return true;
            case MessageType.Heartbeat:
                ElectionElapsedTicks = 0;
                Lead = m.From;
                HandleHeartbeat(m);
                return true;
            case MessageType.Snapshot:
                ElectionElapsedTicks = 0;
                Lead = m.From;
                HandleSnapshot(m);
                return true;
            case MessageType.TransferLeader:
            case MessageType.ReadIndex:
                if (Lead == None)
                {
                    return false;
                }

                Send(ForwardTo(Lead, m));
                return true;
            case MessageType.TimeoutNow:
                // The leader chose us: campaign at once, without pre-vote, and with the transfer marker so voters
                // inside their leader lease still answer.
                Hup(CampaignKind.Transfer);
                return true;
            case MessageType.ReadIndexResponse:
                ReadStates.Add(new ReadState(m.Index, m.Context));
                return true;
            default:
                return true;
        }
    }

    /// <summary>A copy of a request addressed to <paramref name="to"/>; received messages are never modified.</summary>
    private static Message ForwardTo(ulong to, Message m) => new()
    {
        Type = m.Type,
        To = to,
        From = m.From,
        Entries = m.Entries,
        Context = m.Context,
    };

    private bool StepCandidate(Message m)
    {
        MessageType myVoteResponse = Role == RaftRole.PreCandidate ? MessageType.PreVoteResponse : MessageType.VoteResponse;
        switch (m.Type)
        {
            case MessageType.Propose:
            case MessageType.ReadIndex:
                return false;
            case MessageType.Append:
                BecomeFollower(m.Term, m.From); // a leader exists in our term
                HandleAppendEntries(m);
                return true;
            case MessageType.Heartbeat:
                BecomeFollower(m.Term, m.From);
                HandleHeartbeat(m);
                return true;
            case MessageType.Snapshot:
                BecomeFollower(m.Term, m.From);
                HandleSnapshot(m);
                return true;
            default:
                if (m.Type == myVoteResponse)
                {
                    HandleVoteResponse(m);
                }

                return true;
        }
    }
}
