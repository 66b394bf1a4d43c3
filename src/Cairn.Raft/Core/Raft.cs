namespace Cairn.Raft;

/// <summary>
/// The Raft algorithm for one node: state, per-role step functions and timers. Single-threaded and
/// deterministic; everything it wants done (persist, send, apply) accumulates in <see cref="Outbox"/>,
/// <see cref="ReadStates"/> and the <see cref="RaftLog"/>, which <see cref="RawNode"/> turns into a Ready.
/// </summary>
/// <remarks>Split by concern: roles, stepping, leader handling, replication, elections, reads, membership.</remarks>
internal sealed partial class Raft
{
    /// <summary>Context of a vote request caused by a leader transfer: voters grant it even inside a leader lease.</summary>
    internal static readonly ReadOnlyMemory<byte> CampaignTransferContext = "CampaignTransfer"u8.ToArray();

    internal const ulong None = 0;

    private readonly int electionTimeoutTicks;
    private readonly int heartbeatTimeoutTicks;
    private readonly ulong maxMsgBytes;
    private readonly ulong maxUncommittedBytes;
    private readonly int maxPendingReadIndex;
    private readonly bool checkQuorum;
    private readonly bool preVote;
    private readonly bool disableProposalForwarding;
    private readonly ReadOnlyOption readOnlyOption;
    private readonly int leaseTicks;
    private readonly IRaftRandom random;
#if RAFT_MUTATIONS
    private readonly RaftMutation mutations;
#endif

    public Raft(RaftConfig config)
    {
        config.Validate();
        Id = config.Id;
        electionTimeoutTicks = config.ElectionTick;
        heartbeatTimeoutTicks = config.HeartbeatTick;
        maxMsgBytes = config.MaxSizePerMsg;
        maxUncommittedBytes = config.MaxUncommittedEntriesSize == 0 ? ulong.MaxValue : config.MaxUncommittedEntriesSize;
        maxPendingReadIndex = config.MaxPendingReadIndexRequests;
        checkQuorum = config.CheckQuorum;
        preVote = config.PreVote;
        disableProposalForwarding = config.DisableProposalForwarding;
        readOnlyOption = config.ReadOnlyOption;
        leaseTicks = config.LeaseTicks;
        random = config.Random ?? new SeededRandom(config.Id * 0x9E3779B97F4A7C15UL);
#if RAFT_MUTATIONS
        mutations = config.Mutations;
#endif
        Log = new RaftLog(config.Storage, config.MaxCommittedSizePerReady);
#if RAFT_MUTATIONS
        Log.KeepConflictingSuffix = (mutations & RaftMutation.KeepConflictingSuffix) != 0;
#endif
        Tracker = new ProgressTracker(config.MaxInflightMsgs, config.MaxInflightBytes);
        ReadOnly = new ReadOnlyRequests(config.MaxPendingReadIndexRequests);

        RaftInitialState initial = config.Storage.InitialState();
        Tracker.Reset(initial.ConfState, Log.LastIndex() + 1);
        IsLearner = initial.ConfState.IsLearner(Id);

        // A node only installs snapshots that include it, so a persisted membership without us means we were removed.
        RemovedFromCluster = initial.ConfState.Voters.Count > 0 && !initial.ConfState.Contains(Id);
        if (!initial.HardState.IsEmpty)
        {
            LoadHardState(initial.HardState);
        }

        Log.AppliedTo(config.Applied);
        BecomeFollower(Term, None);
    }

    public ulong Id { get; }

    public ulong Term { get; private set; }

    public ulong Vote { get; private set; }

    public ulong Lead { get; private set; }

    public RaftRole Role { get; private set; }

    public bool IsLearner { get; private set; }

    public ulong LeadTransferee { get; private set; }

    public RaftLog Log { get; }

    public ProgressTracker Tracker { get; }

    public ReadOnlyRequests ReadOnly { get; }

    /// <summary>Messages to send, in order; RawNode moves them into the next Ready.</summary>
    public List<Message> Outbox { get; private set; } = [];

    /// <summary>Answers to local ReadIndex requests; RawNode moves them into the next Ready.</summary>
    public List<ReadState> ReadStates { get; private set; } = [];

    /// <summary>Ticks since the node started (the leader's clock for lease-based reads).</summary>
    public ulong TotalTicks { get; private set; }

    public int ElectionElapsedTicks { get; private set; }

    public int RandomizedElectionTimeoutTicks { get; private set; }

    public HardState HardState => new(Term, Vote, Log.Committed);

    public SoftState SoftState => new(Lead, Role);

    /// <summary>Payload bytes appended by this leader and not yet committed (see MaxUncommittedEntriesSize).</summary>
    public ulong UncommittedBytes { get; private set; }

    public IReadOnlyList<Message> TakeOutbox()
    {
        if (Outbox.Count == 0)
        {
            return [];
        }

        List<Message> messages = Outbox;
        Outbox = [];
        return messages;
    }

    public IReadOnlyList<ReadState> TakeReadStates()
    {
        if (ReadStates.Count == 0)
        {
            return [];
        }

        List<ReadState> states = ReadStates;
        ReadStates = [];
        return states;
    }

    public void Tick()
    {
        TotalTicks++;
        if (Role == RaftRole.Leader)
        {
            TickHeartbeat();
        }
        else
        {
            TickElection();
        }
    }

    /// <summary>Queues a message; fills in From and, except for votes and forwarded requests, the current term.</summary>
    private void Send(Message message)
    {
        if (message.From == None)
        {
            message.From = Id;
        }

        Invariant.Check(message.To != None && message.To != Id, "messages go to another node");
        if (message.Type is MessageType.Vote or MessageType.VoteResponse or MessageType.PreVote or MessageType.PreVoteResponse)
        {
            // Vote terms are chosen by the caller: a pre-vote is for a term not entered yet, a response echoes it.
            Invariant.Check(message.Term != 0, $"{message.Type} needs an explicit term");
        }
        else
        {
            Invariant.Check(message.Term == 0, $"{message.Type} gets its term from the sender");
            if (message.Type is not (MessageType.Propose or MessageType.ReadIndex))
            {
                // Forwarded proposals and reads stay term-less: the leader treats them as local requests.
                message.Term = Term;
            }
        }

        Outbox.Add(message);
    }

    private void LoadHardState(HardState state)
    {
        if (state.Commit < Log.Committed || state.Commit > Log.LastIndex())
        {
            throw Invariant.Violated(
                $"persisted commit index {state.Commit} is outside the persisted log [{Log.Committed}, {Log.LastIndex()}]");
        }

        Log.CommitTo(state.Commit);
        Term = state.Term;
        Vote = state.Vote;
    }

#if RAFT_MUTATIONS
    private bool Mutated(RaftMutation mutation) => (mutations & mutation) != 0;

    internal bool HasMutationAcknowledgeBeforePersisting => Mutated(RaftMutation.AcknowledgeBeforePersisting);
#endif

    /// <summary>See <see cref="RawNode.Bootstrap"/>.</summary>
    public void Bootstrap(IReadOnlyList<ulong> voters)
    {
        BecomeFollower(1, None);
        var entries = new Entry[voters.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            byte[] data = Codec.RaftCodec.Encode(new ConfChange(ConfChangeType.AddNode, voters[i]));
            entries[i] = new Entry((ulong)i + 1, 1, EntryType.ConfChange, data);
        }

        Log.Append(entries);
        Log.CommitTo((ulong)entries.Length);

        // Apply the membership now so the node knows its peers; the application applies the same entries again
        // from the first Ready, which changes nothing (adding a voter twice is a no-op).
        foreach (ulong id in voters)
        {
            ApplyConfChange(new ConfChange(ConfChangeType.AddNode, id));
        }
    }

    private void ResetRandomizedElectionTimeout() =>
        RandomizedElectionTimeoutTicks = electionTimeoutTicks + random.Next(electionTimeoutTicks);
}
