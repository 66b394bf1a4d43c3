using System.Buffers.Binary;
using Cairn.Raft.Codec;

namespace Cairn.Raft.Simulation;

internal sealed partial class Simulation
{
    private ulong nextNodeId;

    private SimNode CreateNode(ulong id)
    {
        var node = new SimNode(id, RandomTickInterval());
        nodes[id] = node;
        node.Raw = new RawNode(NodeConfig(node, applied: 0));
        trace.Add(now, "created", id);
        Schedule(now + 1 + random.Next((int)node.TickIntervalUnits), new SimEvent(EventKind.Tick, id, node.Incarnation));
        return node;
    }

    private void TickNode(in SimEvent e)
    {
        SimNode node = nodes[e.Node];
        if (!node.IsUp || node.Incarnation != e.Incarnation)
        {
            return;
        }

        node.Raw!.Tick();
        AfterNodeEvent(node);
        Schedule(now + node.TickIntervalUnits, e);
    }

    /// <summary>After anything happened to a node: check what can be checked, then hand out its work.</summary>
    private void AfterNodeEvent(SimNode node)
    {
        if (!node.IsUp)
        {
            return;
        }

        checker.CheckLeader(node);
        checker.CheckCommitted(node);
        ProcessReady(node);
    }

    private void ProcessReady(SimNode node)
    {
        while (node.IsUp && node.ReadyInFlight is null && node.Raw!.HasReady())
        {
            Ready ready = node.Raw.Ready();
            if (ready.SoftState is { } soft)
            {
                trace.Add(now, "role", node.Id, $"{soft} term {node.Raw.Term}");
            }

            checker.CheckAppended(node, ready.Entries);
            if (ready.Snapshot is { } snapshot)
            {
                checker.CheckSnapshotPosition(node, snapshot.Index, snapshot.Term);
            }

            node.ReadyInFlight = ready;
            node.ReadyMessagesSent = false;
            if (ready.CanSendMessagesBeforePersisting && profile.SendEarlyWhenAllowed)
            {
                SendAll(ready.Messages);
                node.ReadyMessagesSent = true;
            }

            long latency = ready.MustSync && profile.MaxDiskLatencyUnits > 0 ? random.Next((int)profile.MaxDiskLatencyUnits + 1) : 0;
            if (latency > 0)
            {
                Schedule(now + latency, new SimEvent(EventKind.PersistDone, node.Id, node.Incarnation));
                return;
            }

            FinishReady(node);
        }
    }

    private void OnPersistDone(in SimEvent e)
    {
        SimNode node = nodes[e.Node];
        if (!node.IsUp || node.Incarnation != e.Incarnation || node.ReadyInFlight is null)
        {
            return;
        }

        FinishReady(node);
        AfterNodeEvent(node);
    }

    /// <summary>The disk write finished: persist, send (unless sent early), apply, advance.</summary>
    private void FinishReady(SimNode node)
    {
        Ready ready = node.ReadyInFlight!;
        if (ready.Snapshot is { } snapshot)
        {
            node.Storage.ApplySnapshot(snapshot);
        }

        node.Storage.Append(ready.Entries);
        if (ready.HardState is { } hardState)
        {
            node.Storage.SetHardState(hardState);
        }

        if (!node.ReadyMessagesSent && !calm && Chance(profile.CrashBetweenPersistAndSendRate))
        {
            Crash(node, "after persisting, before sending");
            return;
        }

        if (!node.ReadyMessagesSent)
        {
            SendAll(ready.Messages);
        }

        ApplyReady(node, ready);
        node.Raw!.Advance();
        node.ReadyInFlight = null;
        ServeReads(node);
        MaybeSnapshot(node);
        checker.CheckLeader(node);
        checker.CheckCommitted(node);
    }

    private void ApplyReady(SimNode node, Ready ready)
    {
        if (ready.Snapshot is { } snapshot)
        {
            node.Machine.Restore(snapshot.Data.Span, snapshot.Index);
            node.AppliedConf = snapshot.Metadata.ConfState;
            trace.Add(now, "installed", node.Id, snapshot.Metadata);
        }

        foreach (Entry entry in ready.CommittedEntries)
        {
            checker.CheckApplied(node, entry);
            node.AppliedSinceSnapshot++;
            if (entry.Type == EntryType.ConfChange)
            {
                node.Machine.Skip(entry);
                ApplyConfChange(node, RaftCodec.DecodeConfChange(entry.Data.Span));
                continue;
            }

            ulong writeId = node.Machine.Apply(entry);
            if (writeId != 0 && pendingWrites.Remove(writeId, out PendingWrite? write))
            {
                if (write.Node == node.Id && write.Incarnation == node.Incarnation)
                {
                    AcknowledgeWrite(write, entry.Index);
                }
                else
                {
                    pendingWrites[writeId] = write; // only the node the client talks to can acknowledge
                }
            }
        }

        foreach (ReadState state in ready.ReadStates)
        {
            ulong readId = BinaryPrimitives.ReadUInt64LittleEndian(state.RequestContext.Span);
            if (node.Reads.TryGetValue(readId, out PendingRead? read) && read.ReadIndex == 0)
            {
                read.ReadIndex = state.Index;
            }
        }
    }

    private void ApplyConfChange(SimNode node, ConfChange change)
    {
        ConfState before = node.AppliedConf;
        node.AppliedConf = node.Raw!.ApplyConfChange(change);
        trace.Add(now, "applied", node.Id, $"{change} -> {node.AppliedConf}");
        if (change.Type == ConfChangeType.AddLearnerNode && node.AppliedConf.Contains(change.NodeId) && !nodes.ContainsKey(change.NodeId))
        {
            stats.MembershipChanges++;
            CreateNode(change.NodeId); // the new member starts empty and learns everything from the leader
        }
        else if (change.Type == ConfChangeType.RemoveNode && before.Contains(change.NodeId) && !node.AppliedConf.Contains(change.NodeId)
            && nodes.TryGetValue(change.NodeId, out SimNode? removed) && !removed.Stopped && !removed.StopScheduled)
        {
            stats.MembershipChanges++;
            removed.StopScheduled = true;
            removed.RemovedFrom = node.AppliedConf;
            Schedule(now + random.Next(3 * (int)UnitsPerTick), new SimEvent(EventKind.Stop, change.NodeId, 0));
        }
        else if (change.Type == ConfChangeType.AddNode && before.IsLearner(change.NodeId))
        {
            stats.MembershipChanges++;
        }
    }

    private void ServeReads(SimNode node)
    {
        if (node.Reads.Count == 0)
        {
            return;
        }

        List<ulong>? served = null;
        foreach ((ulong readId, PendingRead read) in node.Reads)
        {
            if (read.ReadIndex != 0 && read.ReadIndex <= node.Machine.AppliedIndex)
            {
                SafetyChecker.CheckRead(node, read, read.ReadIndex, node.Machine.LastWriteIndex(read.Key));
                stats.ReadsServed++;
                (served ??= []).Add(readId);
            }
        }

        foreach (ulong readId in served ?? [])
        {
            node.Reads.Remove(readId);
        }
    }

    private void MaybeSnapshot(SimNode node)
    {
        if (node.AppliedSinceSnapshot < (ulong)profile.SnapshotEveryEntries)
        {
            return;
        }

        node.AppliedSinceSnapshot = 0;
        ulong applied = node.Machine.AppliedIndex;
        if (applied <= node.Storage.Snapshot.Index || applied > node.Storage.LastIndex())
        {
            return;
        }

        node.Storage.CreateSnapshot(applied, node.AppliedConf, node.Machine.Snapshot());
        checker.CheckSnapshotPosition(node, applied, node.Storage.Snapshot.Term);
        ulong keep = (ulong)profile.KeepEntriesAfterSnapshot;
        if (applied > keep)
        {
            node.Storage.Compact(applied - keep);
        }
    }

    private void Crash(SimNode node, string why)
    {
        trace.Add(now, "CRASH", node.Id, why);
        stats.Crashes++;
        node.Raw = null;
        node.ReadyInFlight = null;
        node.Incarnation++;
        node.Reads.Clear();
        if (!node.Stopped && !calm)
        {
            Schedule(now + ((1 + random.Next(profile.MaxDowntimeTicks)) * UnitsPerTick), new SimEvent(EventKind.Restart, node.Id, node.Incarnation));
        }
    }

    /// <summary>A crashed node starts again with exactly what it persisted; its state machine is rebuilt from the snapshot and the log.</summary>
    private void Restart(SimNode node)
    {
        if (node.Stopped || node.IsUp)
        {
            return;
        }

        Snapshot snapshot = node.Storage.Snapshot;
        node.Machine = new KvStateMachine();
        node.Machine.Restore(snapshot.Data.Span, snapshot.Index);
        node.AppliedConf = snapshot.Metadata.ConfState;
        node.CheckedCommit = 0;
        node.LeaderTermChecked = 0;
        node.AppliedSinceSnapshot = 0;
        node.TickIntervalUnits = RandomTickInterval();
        node.Raw = new RawNode(NodeConfig(node, applied: snapshot.Index));
        trace.Add(now, "restart", node.Id, node.Storage.HardState);
        Schedule(now + 1 + random.Next((int)node.TickIntervalUnits), new SimEvent(EventKind.Tick, node.Id, node.Incarnation));
        AfterNodeEvent(node);
    }

    /// <summary>
    /// A removed node shuts down once it no longer leads and a majority of the remaining voters applied its removal
    /// (before that, the remaining voters may still need it to elect a leader in the configuration they use).
    /// </summary>
    private void StopNode(SimNode node)
    {
        if (node.Stopped)
        {
            return;
        }

        if ((node.IsUp && node.Raw!.Role == RaftRole.Leader) || !RemovalKnownByMajority(node))
        {
            Schedule(now + UnitsPerTick, new SimEvent(EventKind.Stop, node.Id, 0));
            return;
        }

        trace.Add(now, "stopped (removed)", node.Id);
        node.Stopped = true;
        node.Raw = null;
        node.ReadyInFlight = null;
        node.Incarnation++;
        node.Reads.Clear();
    }

    private bool RemovalKnownByMajority(SimNode removed)
    {
        IReadOnlyList<ulong> voters = removed.RemovedFrom!.Voters;
        int informed = 0;
        foreach (ulong id in voters)
        {
            if (nodes.TryGetValue(id, out SimNode? voter) && !voter.AppliedConf.Contains(removed.Id))
            {
                informed++;
            }
        }

        return informed >= (voters.Count / 2) + 1;
    }

    private void ReportToNode(in SimEvent e, bool snapshot)
    {
        SimNode node = nodes[e.Node];
        if (!node.IsUp)
        {
            return;
        }

        if (snapshot)
        {
            node.Raw!.ReportSnapshot(e.Peer, e.Flag);
        }
        else
        {
            node.Raw!.ReportUnreachable(e.Peer);
        }

        AfterNodeEvent(node);
    }
}
