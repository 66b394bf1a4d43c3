namespace Cairn.Raft;

/// <summary>
/// One batch of work a <see cref="RawNode"/> hands to the application. Handle it in this order, then call
/// <see cref="RawNode.Advance"/>:
/// <list type="number">
/// <item>Persist <see cref="Snapshot"/> (if any), then <see cref="Entries"/>, then <see cref="HardState"/> (if any);
/// make them durable (one fsync) when <see cref="MustSync"/> is true.</item>
/// <item>Send <see cref="Messages"/>. Only after step 1 — unless <see cref="CanSendMessagesBeforePersisting"/>
/// is true, in which case they may go out before or during step 1 (the leader's parallel replication).</item>
/// <item>Install <see cref="Snapshot"/> into the state machine, apply <see cref="CommittedEntries"/> in order
/// (calling <see cref="RawNode.ApplyConfChange"/> for membership entries), and serve reads for
/// <see cref="ReadStates"/> once their index is applied.</item>
/// </list>
/// See docs/RAFT.md, "The Ready contract".
/// </summary>
public sealed class Ready
{
    internal Ready()
    {
    }

    /// <summary>Leader and role, when they changed since the previous Ready; null otherwise.</summary>
    public SoftState? SoftState { get; init; }

    /// <summary>The hard state to persist, when it changed since the previous Ready; null otherwise.</summary>
    public HardState? HardState { get; init; }

    /// <summary>Answers to ReadIndex requests.</summary>
    public IReadOnlyList<ReadState> ReadStates { get; init; } = [];

    /// <summary>Entries to append to storage (they may replace a stored suffix from their first index on).</summary>
    public IReadOnlyList<Entry> Entries { get; init; } = [];

    /// <summary>A snapshot to persist and install, replacing the log up to its index; null when none.</summary>
    public Snapshot? Snapshot { get; init; }

    /// <summary>Committed entries to apply, in order.</summary>
    public IReadOnlyList<Entry> CommittedEntries { get; init; } = [];

    /// <summary>Messages to send.</summary>
    public IReadOnlyList<Message> Messages { get; init; } = [];

    /// <summary>Whether the persisted data must be fsynced before messages go out (new entries, a new term or vote, or a snapshot).</summary>
    public bool MustSync { get; init; }

    /// <summary>
    /// True when nothing in <see cref="Messages"/> depends on this Ready being persisted: the node is leader and
    /// its term and vote were persisted by an earlier Ready. A leader's Append messages may then go out in
    /// parallel with its own fsync (Raft thesis §10.2.1); the leader counts its own copy of new entries towards
    /// commitment only after <see cref="RawNode.Advance"/>.
    /// </summary>
    public bool CanSendMessagesBeforePersisting { get; init; }

    /// <summary>True when the Ready carries nothing to do.</summary>
    public bool IsEmpty => SoftState is null && HardState is null && ReadStates.Count == 0 && Entries.Count == 0
        && Snapshot is null && CommittedEntries.Count == 0 && Messages.Count == 0;
}
