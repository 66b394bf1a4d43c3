namespace Cairn.Raft;

/// <summary>A message between Raft nodes (or from the application to its own node).</summary>
/// <remarks>
/// A plain data carrier, like a generated protobuf class: settable properties so the transport can decode
/// into it. The core never changes a message after emitting it or after receiving it through
/// <c>RawNode.Step</c>; callers must not change it either (the simulator delivers one instance twice to
/// model duplication). Which fields are meaningful depends on <see cref="Type"/>:
/// <list type="bullet">
/// <item><see cref="MessageType.Append"/>: Index/LogTerm of the entry before <see cref="Entries"/>, Commit.</item>
/// <item><see cref="MessageType.AppendResponse"/>: Index acknowledged; or Reject with RejectHint/LogTerm as the follower's conflict hint.</item>
/// <item><see cref="MessageType.Vote"/>/<see cref="MessageType.PreVote"/>: Index/LogTerm of the candidate's last entry; Context marks a leader transfer.</item>
/// <item><see cref="MessageType.Heartbeat"/>: Commit; Index carries the leader's tick count (echoed back, for lease-based reads); Context carries a read-index round.</item>
/// <item><see cref="MessageType.ReadIndex"/>/<see cref="MessageType.ReadIndexResponse"/>: Context is the request context, Index the read index.</item>
/// </list>
/// </remarks>
public sealed class Message
{
    /// <summary>What the message is.</summary>
    public MessageType Type { get; set; }

    /// <summary>Receiver id.</summary>
    public ulong To { get; set; }

    /// <summary>Sender id (for <see cref="MessageType.TransferLeader"/>: the transfer target).</summary>
    public ulong From { get; set; }

    /// <summary>Sender's term; 0 for local messages and forwarded proposals/reads.</summary>
    public ulong Term { get; set; }

    /// <summary>A log term whose meaning depends on <see cref="Type"/> (see the class remarks).</summary>
    public ulong LogTerm { get; set; }

    /// <summary>A log index whose meaning depends on <see cref="Type"/> (see the class remarks).</summary>
    public ulong Index { get; set; }

    /// <summary>Entries to append (Append) or proposed (Propose).</summary>
    public IReadOnlyList<Entry> Entries { get; set; } = Array.Empty<Entry>();

    /// <summary>The sender's commit index (Append, Heartbeat).</summary>
    public ulong Commit { get; set; }

    /// <summary>The snapshot to install (Snapshot).</summary>
    public Snapshot? Snapshot { get; set; }

    /// <summary>True when a response refuses the request.</summary>
    public bool Reject { get; set; }

    /// <summary>For a rejected Append: the index the follower suggests probing next.</summary>
    public ulong RejectHint { get; set; }

    /// <summary>Opaque bytes: the read-index context, or the leader-transfer marker on a vote request.</summary>
    public ReadOnlyMemory<byte> Context { get; set; }

    /// <summary>A one-line description for traces, for example <c>1->2 Append Term:3 Log:3/10 Commit:9 Entries:[3/11]</c>.</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder();
        text.Append(From).Append("->").Append(To).Append(' ').Append(Type).Append(" Term:").Append(Term);
        if (LogTerm != 0)
        {
            text.Append(" Log:").Append(LogTerm).Append('/').Append(Index);
        }
        else if (Index != 0)
        {
            text.Append(" Index:").Append(Index);
        }

        if (Commit != 0)
        {
            text.Append(" Commit:").Append(Commit);
        }

        if (Reject)
        {
            text.Append(" Rejected");
            if (Type == MessageType.AppendResponse)
            {
                text.Append(" (Hint: ").Append(RejectHint).Append(')');
            }
        }

        if (Entries.Count > 0)
        {
            text.Append(" Entries:[");
            for (int i = 0; i < Entries.Count; i++)
            {
                text.Append(i == 0 ? "" : " ").Append(Entries[i].Term).Append('/').Append(Entries[i].Index);
                if (Entries[i].Type == EntryType.ConfChange)
                {
                    text.Append("(cc)");
                }
            }

            text.Append(']');
        }

        if (Snapshot is not null)
        {
            text.Append(" Snapshot[").Append(Snapshot.Metadata).Append(']');
        }

        if (!Context.IsEmpty)
        {
            text.Append(" Context:").Append(Context.Length).Append('B');
        }

        return text.ToString();
    }
}
