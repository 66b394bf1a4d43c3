using System.Text;
using Cairn.Raft.Codec;

namespace Cairn.Raft.Tests.Interaction;

internal sealed partial class InteractionEnv
{
    private bool ProcessReady(ulong id)
    {
        EnvNode node = Node(id);
        if (!node.Raw.HasReady())
        {
            return false;
        }

        Ready ready = node.Raw.Ready();
        Print($"> {id} handling Ready");
        PrintReady(ready);

        // The Ready contract: persist snapshot, entries, hard state; then send; then apply.
        if (ready.Snapshot is not null)
        {
            node.Storage.ApplySnapshot(ready.Snapshot);
            node.ConfState = ready.Snapshot.Metadata.ConfState;
        }

        node.Storage.Append(ready.Entries);
        if (ready.HardState is { } hardState)
        {
            node.Storage.SetHardState(hardState);
        }

        mailbox.AddRange(ready.Messages);
        foreach (Entry entry in ready.CommittedEntries)
        {
            if (entry.Type == EntryType.ConfChange && !entry.Data.IsEmpty)
            {
                ConfChange change = RaftCodec.DecodeConfChange(entry.Data.Span);
                node.ConfState = node.Raw.ApplyConfChange(change);
                Print($"  applied {change}: {node.ConfState}");
            }
        }

        node.Raw.Advance();
        return true;
    }

    private void PrintReady(Ready ready)
    {
        if (ready.SoftState is { } soft)
        {
            Print($"  SoftState {soft}");
        }

        if (ready.HardState is { } hard)
        {
            Print($"  HardState {hard}");
        }

        PrintEntries("Entries", ready.Entries);
        if (ready.Snapshot is not null)
        {
            Print($"  Snapshot {ready.Snapshot.Metadata}");
        }

        PrintEntries("CommittedEntries", ready.CommittedEntries);
        if (ready.Messages.Count > 0)
        {
            Print("  Messages:");
            foreach (Message m in ready.Messages)
            {
                Print("  " + m);
            }
        }

        foreach (ReadState state in ready.ReadStates)
        {
            Print($"  ReadState Index:{state.Index} Context:{Encoding.UTF8.GetString(state.RequestContext.Span)}");
        }

        if (ready.MustSync)
        {
            Print("  MustSync" + (ready.CanSendMessagesBeforePersisting ? " (messages may go first)" : ""));
        }
    }

    private void PrintEntries(string title, IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        Print($"  {title}:");
        foreach (Entry entry in entries)
        {
            Print("  " + Describe(entry));
        }
    }

    private bool DeliverMessages(ulong id, bool drop)
    {
        List<Message> toDeliver = mailbox.Where(m => m.To == id).ToList();
        if (toDeliver.Count == 0)
        {
            return false;
        }

        mailbox.RemoveAll(m => m.To == id);
        Print($"> {id} receiving messages");
        foreach (Message m in toDeliver)
        {
            if (drop || isolated.Contains(m.To) || isolated.Contains(m.From))
            {
                Print($"  {m} DROPPED");
                continue;
            }

            Print("  " + m);
            if (m.Type == MessageType.Snapshot)
            {
                // The transport reports a finished snapshot transfer to the sender.
                Node(m.From).Raw.ReportSnapshot(m.To, succeeded: true);
            }

            if (!Node(id).Raw.Step(m))
            {
                Print("  (refused)");
            }
        }

        return true;
    }

    private void Stabilize(IEnumerable<ulong> ids)
    {
        ulong[] selected = ids.ToArray();
        bool progress = true;
        while (progress)
        {
            progress = false;
            foreach (ulong id in selected)
            {
                progress |= ProcessReady(id);
            }

            foreach (ulong id in selected)
            {
                progress |= DeliverMessages(id, drop: false);
            }
        }
    }

    private void RaftState()
    {
        foreach (EnvNode node in nodes.Values)
        {
            RaftStatus status = node.Raw.Status();
            string role = status.ConfState.IsVoter(node.Id) ? "Voter" : status.ConfState.IsLearner(node.Id) ? "Learner" : "NonMember";
            Print($"{node.Id}: {status.SoftState.Role} ({role}) Term:{status.HardState.Term} Lead:{status.SoftState.Lead} Commit:{status.HardState.Commit} Applied:{status.Applied}");
        }
    }

    private void RaftLog(ulong id)
    {
        EnvNode node = Node(id);
        var entries = new List<Entry>();
        if (node.Storage.LastIndex() >= node.Storage.FirstIndex())
        {
            node.Storage.TryGetEntries(node.Storage.FirstIndex(), node.Storage.LastIndex() + 1, ulong.MaxValue, entries);
        }

        if (entries.Count == 0)
        {
            Print($"log is empty: first index={node.Storage.FirstIndex()}, last index={node.Storage.LastIndex()}");
        }

        foreach (Entry entry in entries)
        {
            Print(Describe(entry));
        }
    }

    private void Status(ulong id)
    {
        RaftStatus status = Node(id).Raw.Status();
        foreach ((ulong member, ProgressStatus pr) in status.Progress.OrderBy(p => p.Key))
        {
            Print($"{member}: {pr.State} match={pr.Match} next={pr.Next}{(pr.IsLearner ? " learner" : "")}{(pr.InflightMessages > 0 ? $" inflight={pr.InflightMessages}" : "")}");
        }
    }
}
