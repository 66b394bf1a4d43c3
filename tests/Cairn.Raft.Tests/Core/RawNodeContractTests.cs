namespace Cairn.Raft.Tests.Core;

/// <summary>The RawNode API contract: argument errors, the Ready/Advance protocol, messages refused from the network.</summary>
public sealed class RawNodeContractTests
{
    internal static RawNode NewNode(ulong id, MemoryStorage storage, Action<RaftConfigBuilder>? configure = null)
    {
        var builder = new RaftConfigBuilder { Id = id, Storage = storage };
        configure?.Invoke(builder);
        return new RawNode(builder.Build());
    }

    internal static RawNode SingleNodeLeader(out MemoryStorage storage)
    {
        storage = new MemoryStorage(new ConfState([1], []));
        RawNode node = NewNode(1, storage);
        node.Campaign();
        HandleAll(node, storage);
        Assert.Equal(RaftRole.Leader, node.Role);
        return node;
    }

    /// <summary>Handles Readies until there are none: persists, drops messages, applies membership changes.</summary>
    internal static List<Ready> HandleAll(RawNode node, MemoryStorage storage)
    {
        var readies = new List<Ready>();
        while (node.HasReady())
        {
            Ready ready = node.Ready();
            readies.Add(ready);
            if (ready.Snapshot is not null)
            {
                storage.ApplySnapshot(ready.Snapshot);
            }

            storage.Append(ready.Entries);
            if (ready.HardState is { } hardState)
            {
                storage.SetHardState(hardState);
            }

            foreach (Entry entry in ready.CommittedEntries)
            {
                if (entry.Type == EntryType.ConfChange)
                {
                    node.ApplyConfChange(Cairn.Raft.Codec.RaftCodec.DecodeConfChange(entry.Data.Span));
                }
            }

            node.Advance();
        }

        return readies;
    }

    [Fact]
    public void Asking_for_a_second_Ready_before_Advance_fails_and_Advance_needs_a_Ready()
    {
        var storage = new MemoryStorage(new ConfState([1], []));
        RawNode node = NewNode(1, storage);
        node.Campaign();

        Assert.True(node.HasReady());
        node.Ready();
        Assert.False(node.HasReady()); // nothing more to hand out until Advance
        var error = Assert.Throws<InvalidOperationException>(() => node.Ready());
        Assert.Contains("call Advance()", error.Message);
        node.Advance();
        Assert.Contains("without an outstanding Ready", Assert.Throws<InvalidOperationException>(node.Advance).Message);
    }

    [Fact]
    public void Argument_errors_name_the_problem_and_do_not_stop_the_node()
    {
        RawNode node = SingleNodeLeader(out _);

        Assert.Contains("non-empty context", Assert.Throws<ArgumentException>(() => node.ReadIndex(ReadOnlyMemory<byte>.Empty)).Message);
        Assert.Contains("at least one command", Assert.Throws<ArgumentException>(() => node.ProposeBatch([])).Message);
        Assert.Contains("empty storage", Assert.Throws<InvalidOperationException>(() => node.Bootstrap([1])).Message);
        Assert.True(node.Propose(new byte[] { 1 })); // still running
    }

    [Theory]
    [InlineData(MessageType.Hup)]
    [InlineData(MessageType.Beat)]
    [InlineData(MessageType.CheckQuorum)]
    [InlineData(MessageType.Unreachable)]
    [InlineData(MessageType.SnapshotStatus)]
    public void Local_message_kinds_from_the_network_are_refused(MessageType type)
    {
        RawNode node = SingleNodeLeader(out _);
        Assert.False(node.Step(new Message { Type = type, From = 2, To = 1, Term = node.Term }));
    }

    [Fact]
    public void Misaddressed_anonymous_and_malformed_messages_are_refused()
    {
        var storage = new MemoryStorage(new ConfState([1, 2], []));
        RawNode node = NewNode(1, storage);
        ulong termBefore = node.Term;

        Assert.False(node.Step(new Message { Type = MessageType.Heartbeat, From = 2, To = 3, Term = 5 }));
        Assert.False(node.Step(new Message { Type = MessageType.Heartbeat, From = 0, To = 1, Term = 5 }));
        Assert.False(node.Step(new Message { Type = MessageType.Heartbeat, From = 1, To = 1, Term = 5 }));
        Assert.False(node.Step(new Message { Type = MessageType.AppendResponse, From = 9, To = 1, Term = 5 })); // not a member
        Assert.False(node.Step(new Message
        {
            Type = MessageType.Append, From = 2, To = 1, Term = 5, Index = 0, LogTerm = 0,
            Entries = [new Entry(2, 5)], // should start at index 1
        }));
        Assert.False(node.Step(new Message
        {
            Type = MessageType.Append, From = 2, To = 1, Term = 5, Index = 0, LogTerm = 0,
            Entries = [new Entry(1, 6)], // newer than the message's term
        }));
        Assert.False(node.Step(new Message { Type = MessageType.Snapshot, From = 2, To = 1, Term = 5 })); // no snapshot
        Assert.Equal(termBefore, node.Term);

        Assert.True(node.Step(new Message { Type = MessageType.Heartbeat, From = 2, To = 1, Term = 5 }));
        Assert.Equal(5UL, node.Term);
    }

    [Fact]
    public void A_candidate_must_persist_before_sending_and_a_steady_leader_may_send_first()
    {
        var storage = new MemoryStorage(new ConfState([1, 2, 3], []));
        RawNode node = NewNode(1, storage);
        node.Campaign();
        Ready campaign = node.Ready();
        Assert.True(campaign.MustSync);
        Assert.False(campaign.CanSendMessagesBeforePersisting);
        Assert.Equal(2, campaign.Messages.Count);
        node.Advance();

        node.Step(new Message { Type = MessageType.VoteResponse, From = 2, To = 1, Term = node.Term });
        Assert.Equal(RaftRole.Leader, node.Role);
        Ready elected = node.Ready();
        Assert.True(elected.CanSendMessagesBeforePersisting, "the term and vote were persisted by the previous Ready");
        node.Advance();

        node.Propose(new byte[] { 7 });
        Ready proposal = node.Ready();
        Assert.True(proposal.MustSync);
        Assert.True(proposal.CanSendMessagesBeforePersisting);
        Assert.Single(proposal.Entries);
    }

    [Fact]
    public void A_follower_acknowledgement_always_waits_for_persistence()
    {
        var storage = new MemoryStorage(new ConfState([1, 2], []));
        RawNode node = NewNode(2, storage);
        node.Step(new Message { Type = MessageType.Append, From = 1, To = 2, Term = 1, Entries = [new Entry(1, 1, EntryType.Normal, new byte[] { 1 })] });
        Ready ready = node.Ready();

        Assert.Single(ready.Entries);
        Assert.Equal(MessageType.AppendResponse, Assert.Single(ready.Messages).Type);
        Assert.True(ready.MustSync);
        Assert.False(ready.CanSendMessagesBeforePersisting);
    }

    [Fact]
    public void The_leader_commits_its_own_entry_only_after_it_is_persisted()
    {
        RawNode node = SingleNodeLeader(out MemoryStorage storage);
        node.Propose("x"u8.ToArray());

        Ready first = node.Ready();
        Assert.Single(first.Entries);
        Assert.Empty(first.CommittedEntries); // not persisted yet, so not counted
        storage.Append(first.Entries);
        node.Advance();

        Ready second = node.Ready();
        Assert.Equal("x"u8.ToArray(), Assert.Single(second.CommittedEntries).Data.ToArray());
        node.Advance();
    }

    [Fact]
    public void Proposals_are_dropped_without_a_leader_and_forwarded_with_one()
    {
        var storage = new MemoryStorage(new ConfState([1, 2], []));
        RawNode node = NewNode(2, storage);
        Assert.False(node.Propose(new byte[] { 1 }));

        node.Step(new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 1 });
        Assert.True(node.Propose(new byte[] { 1 }));
        Message forwarded = node.Ready().Messages.Single(m => m.Type == MessageType.Propose);
        Assert.Equal((1UL, 2UL, 0UL), (forwarded.To, forwarded.From, forwarded.Term));
    }

    [Fact]
    public void With_forwarding_disabled_a_follower_drops_proposals()
    {
        var storage = new MemoryStorage(new ConfState([1, 2], []));
        RawNode node = NewNode(2, storage, c => c.DisableProposalForwarding = true);
        node.Step(new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 1 });

        Assert.Equal(1UL, node.Leader);
        Assert.False(node.Propose(new byte[] { 1 }));
        Assert.DoesNotContain(node.Ready().Messages, m => m.Type == MessageType.Propose);
    }

    [Fact]
    public void The_uncommitted_size_limit_drops_proposals_but_always_admits_one()
    {
        var storage = new MemoryStorage(new ConfState([1, 2], []));
        RawNode node = NewNode(1, storage, c => c.MaxUncommittedEntriesSize = 100);
        node.Campaign();
        HandleAll(node, storage);
        node.Step(new Message { Type = MessageType.VoteResponse, From = 2, To = 1, Term = node.Term });
        Assert.Equal(RaftRole.Leader, node.Role);

        Assert.True(node.Propose(new byte[150])); // nothing outstanding: admitted even though it is over the limit
        Assert.False(node.Propose(new byte[10])); // node 2 never acknowledges, so everything stays uncommitted
    }

    [Fact]
    public void Configuration_errors_name_the_setting()
    {
        var storage = new MemoryStorage();
        Assert.Contains("Id is 0", Assert.Throws<ArgumentException>(() => NewNode(0, storage)).Message);
        Assert.Contains("ElectionTick (3) must be greater than HeartbeatTick (3)",
            Assert.Throws<ArgumentException>(() => NewNode(1, storage, c => { c.ElectionTick = 3; c.HeartbeatTick = 3; })).Message);
        Assert.Contains("LeaseBased but CheckQuorum is off",
            Assert.Throws<ArgumentException>(() => NewNode(1, storage, c => { c.ReadOnlyOption = ReadOnlyOption.LeaseBased; c.CheckQuorum = false; })).Message);
        Assert.Contains("MaxInflightMsgs is 0", Assert.Throws<ArgumentException>(() => NewNode(1, storage, c => c.MaxInflightMsgs = 0)).Message);
    }

    [Fact]
    public void A_persisted_commit_index_outside_the_log_is_refused_at_start()
    {
        var storage = new MemoryStorage(new ConfState([1], []));
        storage.SetHardState(new HardState(1, 1, 5)); // commit 5, but the log is empty
        var error = Assert.Throws<RaftInvariantException>(() => NewNode(1, storage));
        Assert.Contains("persisted commit index 5 is outside the persisted log", error.Message);
    }
}

/// <summary>A mutable stand-in for RaftConfig's init-only properties, so tests can tweak one setting.</summary>
internal sealed class RaftConfigBuilder
{
    public ulong Id { get; set; }
    public required MemoryStorage Storage { get; set; }
    public int ElectionTick { get; set; } = 10;
    public int HeartbeatTick { get; set; } = 1;
    public bool CheckQuorum { get; set; }
    public bool PreVote { get; set; }
    public ReadOnlyOption ReadOnlyOption { get; set; }
    public int MaxInflightMsgs { get; set; } = 256;
    public ulong MaxUncommittedEntriesSize { get; set; }
    public bool DisableProposalForwarding { get; set; }
    public IRaftStorage? StorageOverride { get; set; }

    public RaftConfig Build() => new()
    {
        Id = Id,
        Storage = StorageOverride ?? Storage,
        ElectionTick = ElectionTick,
        HeartbeatTick = HeartbeatTick,
        CheckQuorum = CheckQuorum,
        PreVote = PreVote,
        ReadOnlyOption = ReadOnlyOption,
        MaxInflightMsgs = MaxInflightMsgs,
        MaxUncommittedEntriesSize = MaxUncommittedEntriesSize,
        DisableProposalForwarding = DisableProposalForwarding,
        Random = new SeededRandom(Id),
    };
}
