using Cairn.Raft;

namespace Cairn.Server.Node;

/// <summary>
/// Carries raft messages between members. The node loop calls <see cref="Send"/> from its thread with each Ready's
/// messages (before its own fsync when raft allows it) and <see cref="TakeUnreachable"/> once per iteration; incoming
/// messages go to <see cref="EtcdNode.Receive"/>. An implementation must not block the loop on the network: queue per
/// peer and send from its own tasks.
/// </summary>
public interface IRaftTransport
{
    /// <summary>Queues <paramref name="messages"/> for their recipients. Never blocks.</summary>
    void Send(IReadOnlyList<Message> messages);

    /// <summary>Moves the IDs of peers that could not be reached since the last call into <paramref name="into"/>
    /// (the loop reports them to raft, which then probes instead of streaming).</summary>
    void TakeUnreachable(List<ulong> into);

    /// <summary>Moves the outcomes of snapshot messages (sent, or failed) into <paramref name="into"/>; raft needs one for
    /// every snapshot it asked to send. A transport that never sends snapshots reports none.</summary>
    void TakeSnapshotReports(List<(ulong PeerId, bool Succeeded)> into)
    {
    }

    /// <summary>Whether a stream to <paramref name="peerId"/> has been open for at least <paramref name="duration"/>
    /// (etcd's strict reconfiguration checks count members connected for its health interval). A transport without
    /// peers connects to none.</summary>
    bool IsConnected(ulong peerId, TimeSpan duration) => false;

    /// <summary>The member list changed (called on the loop thread with copies): peers learn new and updated URLs,
    /// removed members' streams close and their handshakes are refused from now on.</summary>
    void MembersChanged(IReadOnlyList<Cairn.Protocol.Etcd.Member> members, IReadOnlyCollection<ulong> removedIds)
    {
    }
}

/// <summary>
/// The transport of a member without a peer transport (single node): a message to another member cannot be delivered,
/// so its recipient is reported unreachable. A learner added with <c>member add</c> stays unreachable (unstarted).
/// </summary>
public sealed class NoPeersTransport : IRaftTransport
{
    private readonly HashSet<ulong> _unreachable = [];

    /// <inheritdoc />
    public void Send(IReadOnlyList<Message> messages)
    {
        for (int i = 0; i < messages.Count; i++)
        {
            _unreachable.Add(messages[i].To);
        }
    }

    /// <inheritdoc />
    public void TakeUnreachable(List<ulong> into)
    {
        if (_unreachable.Count > 0)
        {
            into.AddRange(_unreachable);
            _unreachable.Clear();
        }
    }
}
