using Cairn.Raft.Codec;

namespace Cairn.Raft;

/// <summary>
/// One Raft node as a pure state machine (etcd-io/raft's RawNode): feed it ticks, messages and requests; take
/// the work it produces as a <see cref="Cairn.Raft.Ready"/>; persist, send and apply it; then call
/// <see cref="Advance"/>. No threads, clocks, I/O or randomness other than the injected
/// <see cref="RaftConfig.Random"/>. Not thread-safe: drive it from one loop.
/// </summary>
/// <remarks>
/// Fail-stop: if any call throws (a storage failure, a broken invariant), the node refuses every later call
/// with <see cref="InvalidOperationException"/>. Restart it from storage. Argument errors are thrown before
/// anything changes and do not stop the node.
/// </remarks>
public sealed partial class RawNode
{
    private readonly Raft raft;
    private Exception? failure;

    /// <summary>Creates (or restarts) a node from <paramref name="config"/>, reading its state from <see cref="RaftConfig.Storage"/>.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid (the message names the setting).</exception>
    public RawNode(RaftConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        raft = new Raft(config);
        previousSoftState = raft.SoftState;
        previousHardState = raft.HardState;
    }

    /// <summary>This node's id.</summary>
    public ulong Id => raft.Id;

    /// <summary>The current leader as this node knows it, or 0.</summary>
    public ulong Leader => raft.Lead;

    /// <summary>This node's role.</summary>
    public RaftRole Role => raft.Role;

    /// <summary>The current term.</summary>
    public ulong Term => raft.Term;

    /// <summary>The core, for the simulator's checks and white-box tests.</summary>
    internal Raft Raft => raft;

    /// <summary>
    /// Starts a brand-new cluster member: writes one AddNode entry per initial voter at term 1, committed. Call
    /// once, on empty storage, on every initial member with the same list (nodes that join later start empty
    /// and receive the membership through the log or a snapshot).
    /// </summary>
    /// <exception cref="InvalidOperationException">The storage is not empty.</exception>
    public void Bootstrap(IReadOnlyList<ulong> voters)
    {
        ArgumentNullException.ThrowIfNull(voters);
        if (voters.Count == 0 || voters.Contains(0UL))
        {
            throw new ArgumentException("Bootstrap needs at least one voter and no id 0", nameof(voters));
        }

        EnsureRunning();
        if (raft.Log.LastIndex() != 0 || raft.Term != 0)
        {
            throw new InvalidOperationException("Bootstrap needs empty storage; this node already has a log or a term");
        }

        try
        {
            raft.Bootstrap(voters);
        }
        catch (Exception error) when (RecordFailure(error))
        {
            throw;
        }
    }

    /// <summary>Advances the logical clock by one tick (drives election timeouts and heartbeats).</summary>
    public void Tick()
    {
        EnsureRunning();
        try
        {
            raft.Tick();
        }
        catch (Exception error) when (RecordFailure(error))
        {
            throw;
        }
    }

    /// <summary>Starts an election now (pre-vote first when enabled).</summary>
    public void Campaign() => StepLocal(new Message { From = raft.Id, Type = MessageType.Hup });

    /// <summary>Proposes <paramref name="data"/> for the log. False when dropped (no leader known, leadership transfer in progress, too much uncommitted data): retry later.</summary>
    /// <remarks>True only means the proposal was appended or forwarded; it is committed when it shows up in CommittedEntries.</remarks>
    public bool Propose(ReadOnlyMemory<byte> data) => StepLocal(new Message
    {
        Type = MessageType.Propose,
        From = raft.Id,
        Entries = [new Entry(0, 0, EntryType.Normal, data)],
    });

    /// <summary>
    /// Proposes several commands as one batch: one log append and one round of Append messages for all of them
    /// (group commit). False when the whole batch was dropped (see <see cref="Propose"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The batch is empty.</exception>
    public bool ProposeBatch(IReadOnlyList<ReadOnlyMemory<byte>> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0)
        {
            throw new ArgumentException("a proposal batch needs at least one command", nameof(commands));
        }

        var entries = new Entry[commands.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new Entry(0, 0, EntryType.Normal, commands[i]);
        }

        return StepLocal(new Message { Type = MessageType.Propose, From = raft.Id, Entries = entries });
    }

    /// <summary>Proposes a membership change. False when dropped (as <see cref="Propose"/>, or because the leader still has an unapplied change, or the change is invalid).</summary>
    public bool ProposeConfChange(ConfChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return StepLocal(new Message
        {
            Type = MessageType.Propose,
            From = raft.Id,
            Entries = [new Entry(0, 0, EntryType.ConfChange, RaftCodec.Encode(change))],
        });
    }

    /// <summary>
    /// Applies a committed membership change (call it for each ConfChange entry in CommittedEntries, in order)
    /// and returns the resulting membership, which the application stores with its next snapshot. A change that is
    /// invalid for the current membership (see docs/RAFT.md) is ignored identically on every node.
    /// </summary>
    public ConfState ApplyConfChange(ConfChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        EnsureRunning();
        try
        {
            return raft.ApplyConfChange(change);
        }
        catch (Exception error) when (RecordFailure(error))
        {
            throw;
        }
    }

    /// <summary>
    /// Hands a message from a peer to the node. False when refused: a local-only kind, a response from a
    /// non-member, a message for another node, or a malformed one. A refused message changes nothing.
    /// </summary>
    public bool Step(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return IsAcceptableFromNetwork(message) && StepLocal(message);
    }

    /// <summary>
    /// Requests a linearizable read. The answer arrives as a <see cref="ReadState"/> with the same context in a
    /// later Ready; serve the read once the state machine has applied its index. False when dropped (no leader).
    /// </summary>
    /// <exception cref="ArgumentException">The context is empty (it is what matches answers to requests).</exception>
    public bool ReadIndex(ReadOnlyMemory<byte> context)
    {
        if (context.IsEmpty)
        {
            throw new ArgumentException("ReadIndex needs a non-empty context to match the answer to the request", nameof(context));
        }

        return StepLocal(new Message { Type = MessageType.ReadIndex, Context = context });
    }

    /// <summary>Asks the leader to hand leadership to <paramref name="transferee"/> (etcd's MoveLeader). Forwarded when called on a follower.</summary>
    public bool TransferLeadership(ulong transferee) =>
        StepLocal(new Message { Type = MessageType.TransferLeader, From = transferee });

    /// <summary>Tells the leader the transport failed to reach <paramref name="nodeId"/> (it stops streaming to it and probes instead).</summary>
    public void ReportUnreachable(ulong nodeId) =>
        StepLocal(new Message { Type = MessageType.Unreachable, From = nodeId });

    /// <summary>Tells the leader whether sending a snapshot to <paramref name="nodeId"/> finished; the transport must report every snapshot it was asked to send.</summary>
    public void ReportSnapshot(ulong nodeId, bool succeeded) =>
        StepLocal(new Message { Type = MessageType.SnapshotStatus, From = nodeId, Reject = !succeeded });

    private bool StepLocal(Message message)
    {
        EnsureRunning();
        try
        {
            return raft.Step(message);
        }
        catch (Exception error) when (RecordFailure(error))
        {
            throw;
        }
    }

    private void EnsureRunning()
    {
        if (failure is not null)
        {
            throw new InvalidOperationException(
                $"raft node {raft.Id} stopped after an earlier failure ({failure.Message}); restart it from storage", failure);
        }
    }

    /// <summary>Exception filter: remembers the failure and lets the exception propagate unchanged.</summary>
    private bool RecordFailure(Exception error)
    {
        failure = error;
        return false;
    }
}
