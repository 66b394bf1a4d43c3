using Cairn.Raft;
using Cairn.Raft.Codec;
using Cairn.Storage.StateMachine;

namespace Cairn.Server.Node;

/// <summary>Applying committed entries to the state machine in log order and completing the callers that wait.</summary>
public sealed partial class EtcdNode
{
    private ulong _entriesSinceSnapshot;

    private void ApplyCommitted(IReadOnlyList<Entry> entries)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            Entry entry = entries[i];
            ApplyResult result = entry.Type == EntryType.ConfChange ? ApplyMembershipChange(entry) : ApplyCommand(entry);
            _appliedIndex = entry.Index;
            _entriesSinceSnapshot++;
            if (result.RequestId != 0 && _registry.Remove(result.RequestId, out PendingProposal? pending))
            {
                pending.TryComplete(result);
                Retire(pending);
            }
        }
    }

    /// <summary>A normal entry. The local proposer's decoded request is applied directly (it is what was encoded); other
    /// members' requests, and everything after a restart, are decoded from the entry.</summary>
    private ApplyResult ApplyCommand(Entry entry)
    {
        ReadOnlySpan<byte> data = entry.Data.Span;
        if (TryPeekRequestId(data, out ulong requestId)
            && _registry.TryGetValue(requestId, out PendingProposal? pending) && pending.Request is not null && pending.ConfChange is null)
        {
            return State.Apply(entry.Index, entry.Term, pending.Request);
        }

        return State.Apply(entry.Index, entry.Term, data);
    }

    /// <summary>
    /// A membership change: its context is the replicated request (member add/remove/update/promote), applied to the
    /// membership state first; raft's configuration changes only when that succeeded, so raft and the member list
    /// never disagree (etcd applies a rejected change to raft as a no-op for the same reason). The bootstrap entries
    /// have no context.
    /// </summary>
    private ApplyResult ApplyMembershipChange(Entry entry)
    {
        ConfChange change = RaftCodec.DecodeConfChange(entry.Data.Span);
        ApplyResult result = State.Apply(entry.Index, entry.Term, change.Context.Span);
        if (result.Error is null && result.Outcome != ApplyOutcome.AlreadyApplied)
        {
            _confState = _raft.ApplyConfChange(change);
            if (change.Type is ConfChangeType.AddNode or ConfChangeType.AddLearnerNode && !change.Context.IsEmpty)
            {
                // A member that joins behind the compacted log needs a snapshot that lists it (raft refuses one from
                // before it was added), so the next snapshot is taken now instead of after SnapshotCount entries. The
                // bootstrap entries (no context) need none.
                _snapshotForMembership = true;
            }
        }

        return result;
    }

    /// <summary>Reads the request ID (protobuf field 1, a varint, written first) without decoding the request.</summary>
    internal static bool TryPeekRequestId(ReadOnlySpan<byte> data, out ulong requestId)
    {
        requestId = 0;
        if (data.Length < 2 || data[0] != 0x08)
        {
            return false;
        }

        int shift = 0;
        for (int i = 1; i < data.Length && i <= 10; i++)
        {
            byte b = data[i];
            requestId |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return requestId != 0;
            }

            shift += 7;
        }

        return false;
    }
}
