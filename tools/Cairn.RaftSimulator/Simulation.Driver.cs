using System.Buffers.Binary;

namespace Cairn.Raft.Simulation;

/// <summary>
/// Once per tick the driver plays the world around the cluster. Runs alternate between chaos (crashes,
/// partitions, loss, membership changes, leader transfers) and calm (everything healed and restarted). At the
/// start of each calm phase the liveness clock starts: a leader that a majority of its voters follows must appear
/// within <see cref="livenessBoundTicks"/>.
/// </summary>
internal sealed partial class Simulation
{
    private readonly int livenessBoundTicks;
    private readonly List<int> electionTicks = [];
    private int healings;
    private int healingsWithLeader;
    private bool hadLeaderAtHealing;
    private readonly Dictionary<ulong, PendingWrite> pendingWrites = [];
    private readonly ulong[] ackedIndexByKey = new ulong[KvStateMachine.KeyCount];
    private ulong ackedIndex;
    private ulong nextWriteId = 1;
    private ulong nextReadId = 1;
    private bool calm;
    private long phaseEndsAtTick = -1;
    private long calmStartedAtTick;
    private bool leaderFoundThisCalm;

    private void Drive()
    {
        long tick = now / UnitsPerTick;
        Schedule(now + UnitsPerTick, new SimEvent(EventKind.Driver, 0, 0));
        if (phaseEndsAtTick < 0)
        {
            phaseEndsAtTick = tick + 100 + random.Next(700);
        }

        if (!calm && tick >= phaseEndsAtTick)
        {
            EnterCalm(tick);
        }
        else if (calm)
        {
            MeasureLiveness(tick);
            if (leaderFoundThisCalm && tick >= phaseEndsAtTick)
            {
                calm = false;
                phaseEndsAtTick = tick + 100 + random.Next(700);
                trace.Add(now, "chaos begins", 0);
            }
        }
        else
        {
            InjectFaults(tick);
        }

        RunClients();
    }

    private void InjectFaults(long tick)
    {
        if (blockedLinks.Count > 0 && tick >= partitionHealsAtTick)
        {
            HealPartition();
        }

        if (Chance(profile.CrashRate))
        {
            List<ulong> up = UpNodeIds();
            if (up.Count > 0)
            {
                Crash(nodes[up[random.Next(up.Count)]], "crash");
            }
        }

        if (Chance(profile.PartitionRate))
        {
            StartPartition(tick);
        }

        if (Chance(profile.MembershipRate))
        {
            ChangeMembership();
        }

        if (Chance(profile.TransferRate))
        {
            TransferLeadership();
        }
    }

    private void EnterCalm(long tick)
    {
        calm = true;
        calmStartedAtTick = tick;
        leaderFoundThisCalm = false;
        hadLeaderAtHealing = HasStableLeader();
        healingsWithLeader += hadLeaderAtHealing ? 1 : 0;
        HealPartition();
        trace.Add(now, "calm begins: healed, restarting crashed nodes", 0);
        // A copy: a restarted node may apply a membership change that creates a node.
        foreach (SimNode node in nodes.Values.ToArray())
        {
            if (!node.IsUp && !node.Stopped)
            {
                Restart(node);
            }
        }
    }

    private void MeasureLiveness(long tick)
    {
        if (leaderFoundThisCalm)
        {
            return;
        }

        long elapsed = tick - calmStartedAtTick;
        if (HasStableLeader())
        {
            leaderFoundThisCalm = true;
            healings++;
            if (!hadLeaderAtHealing)
            {
                electionTicks.Add((int)elapsed);
            }

            phaseEndsAtTick = tick + 20 + random.Next(100);
            trace.Add(now, $"liveness: stable leader {elapsed} ticks after healing", 0);
            return;
        }

        if (elapsed > livenessBoundTicks)
        {
            throw new SimulationViolation("liveness",
                $"no leader followed by a majority {elapsed} ticks after all partitions healed and all nodes restarted (bound {livenessBoundTicks})\n" +
                DescribeNodes());
        }
    }

    /// <summary>A leader whose term a majority of its voters follow (they accept its appends and heartbeats).</summary>
    private bool HasStableLeader()
    {
        SimNode? leader = CurrentLeader();
        if (leader is null)
        {
            return false;
        }

        Raft raft = leader.Raw!.Raft;

        int following = 0;
        ReadOnlySpan<ulong> voters = raft.Tracker.Voters;
        foreach (ulong id in voters)
        {
            if (nodes.TryGetValue(id, out SimNode? voter) && voter.IsUp && voter.Raw!.Term == raft.Term && voter.Raw.Leader == leader.Id)
            {
                following++;
            }
        }

        return following >= (voters.Length / 2) + 1;
    }

    /// <summary>One line per node: what a human needs to see first when a run fails.</summary>
    private string DescribeNodes()
    {
        var text = new System.Text.StringBuilder();
        foreach (SimNode node in nodes.Values)
        {
            text.Append($"  node {node.Id}: ");
            if (node.Raw is null)
            {
                text.Append(node.Stopped ? "stopped (removed)" : "down").Append('\n');
                continue;
            }

            Raft raft = node.Raw.Raft;
            text.Append($"{raft.Role} term {raft.Term} vote {raft.Vote} lead {raft.Lead} last {raft.Log.LastTerm()}/{raft.Log.LastIndex()} ")
                .Append($"commit {raft.Log.Committed} applied {raft.Log.Applied} members {raft.Tracker.ConfState} applied-conf {node.AppliedConf}")
                .Append(node.ReadyInFlight is null ? "" : " (persisting)").Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    private SimNode? CurrentLeader()
    {
        SimNode? leader = null;
        foreach (SimNode node in nodes.Values)
        {
            if (node.IsUp && node.Raw!.Role == RaftRole.Leader && (leader is null || node.Raw.Term > leader.Raw!.Term))
            {
                leader = node;
            }
        }

        return leader;
    }

    private void RunClients()
    {
        List<ulong> up = UpNodeIds();
        if (up.Count == 0)
        {
            return;
        }

        for (int i = Count(profile.WritesPerTick); i > 0; i--)
        {
            StartWrite(nodes[up[random.Next(up.Count)]]);
        }

        for (int i = Count(profile.ReadsPerTick); i > 0; i--)
        {
            StartRead(nodes[up[random.Next(up.Count)]]);
        }
    }

    private int Count(double perTick)
    {
        int whole = (int)perTick;
        return whole + (Chance(perTick - whole) ? 1 : 0);
    }

    private void StartWrite(SimNode node)
    {
        if (!node.IsUp)
        {
            return; // crashed while an earlier operation of this tick was being handled
        }

        ulong writeId = nextWriteId++;
        int key = random.Next(KvStateMachine.KeyCount);
        int padding = profile.MaxPaddingBytes == 0 ? 0 : random.Next(profile.MaxPaddingBytes + 1);
        stats.WritesProposed++;
        if (node.Raw!.Propose(KvStateMachine.EncodeWrite(writeId, key, padding)))
        {
            pendingWrites[writeId] = new PendingWrite(writeId, key, node.Id, node.Incarnation);
        }

        AfterNodeEvent(node);
    }

    private void AcknowledgeWrite(PendingWrite write, ulong index)
    {
        stats.WritesAcknowledged++;
        ackedIndex = Math.Max(ackedIndex, index);
        ackedIndexByKey[write.Key] = Math.Max(ackedIndexByKey[write.Key], index);
    }

    private void StartRead(SimNode node)
    {
        if (!node.IsUp)
        {
            return;
        }

        ulong readId = nextReadId++;
        int key = random.Next(KvStateMachine.KeyCount);
        byte[] context = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(context, readId);
        stats.ReadsStarted++;
        if (node.Raw!.ReadIndex(context))
        {
            // What the read must observe is fixed now, when it starts.
            node.Reads[readId] = new PendingRead(readId, key, ackedIndex, ackedIndexByKey[key]);
        }

        AfterNodeEvent(node);
    }

    private void ChangeMembership()
    {
        SimNode? leader = CurrentLeader();
        if (leader is null)
        {
            return;
        }

        Raft raft = leader.Raw!.Raft;
        ConfState members = raft.Tracker.ConfState;
        ConfChange? change = null;
        switch (random.Next(3))
        {
            case 0:
                foreach (ulong learner in members.Learners)
                {
                    Progress? pr = raft.Tracker.Get(learner);
                    if (pr is not null && pr.Match + 20 >= raft.Log.LastIndex())
                    {
                        change = new ConfChange(ConfChangeType.AddNode, learner); // promote a caught-up learner
                        break;
                    }
                }

                break;
            case 1:
                List<ulong> all = [.. members.Voters, .. members.Learners];
                ulong victim = all[random.Next(all.Count)];
                if (victim != leader.Id || random.Next(4) == 0)
                {
                    change = new ConfChange(ConfChangeType.RemoveNode, victim);
                }

                break;
        }

        if (change is null && RunningNodeIds().Count < 7 && nextNodeId < 64)
        {
            change = new ConfChange(ConfChangeType.AddLearnerNode, nextNodeId++);
        }

        if (change is not null)
        {
            bool accepted = leader.Raw.ProposeConfChange(change);
            trace.Add(now, accepted ? "propose" : "propose (dropped)", leader.Id, change);
            AfterNodeEvent(leader);
        }
    }

    private void TransferLeadership()
    {
        SimNode? leader = CurrentLeader();
        if (leader is null)
        {
            return;
        }

        ReadOnlySpan<ulong> voters = leader.Raw!.Raft.Tracker.Voters;
        ulong target = voters[random.Next(voters.Length)];
        List<ulong> up = UpNodeIds();
        SimNode asker = random.Next(4) == 0 && up.Count > 0 ? nodes[up[random.Next(up.Count)]] : leader;
        stats.Transfers++;
        trace.Add(now, "transfer leadership", asker.Id, $"to {target}");
        asker.Raw!.TransferLeadership(target);
        AfterNodeEvent(asker);
    }

    private List<ulong> UpNodeIds()
    {
        var ids = new List<ulong>();
        foreach (SimNode node in nodes.Values)
        {
            if (node.IsUp)
            {
                ids.Add(node.Id);
            }
        }

        return ids;
    }
}
