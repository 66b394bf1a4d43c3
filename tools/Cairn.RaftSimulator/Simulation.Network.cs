namespace Cairn.Raft.Simulation;

internal sealed partial class Simulation
{
    // Directed links that drop everything: a partition (symmetric or not) is a set of these.
    private readonly HashSet<(ulong From, ulong To)> blockedLinks = [];
    private long partitionHealsAtTick;

    private void SendAll(IReadOnlyList<Message> messages)
    {
        for (int i = 0; i < messages.Count; i++)
        {
            Send(messages[i]);
        }
    }

    private void Send(Message m)
    {
        stats.MessagesSent++;
        if (m.Type == MessageType.Snapshot)
        {
            stats.SnapshotsSent++;
        }

        if (!calm && Chance(profile.LossRate))
        {
            Dropped(m, "lost");
            return;
        }

        // Independent random delays reorder messages; a duplicate takes its own path.
        Schedule(now + 1 + random.Next((int)profile.MaxDelayUnits), new SimEvent(EventKind.Deliver, m.To, 0, m));
        if (Chance(profile.DuplicateRate))
        {
            Schedule(now + 1 + random.Next((int)profile.MaxDelayUnits), new SimEvent(EventKind.Deliver, m.To, 0, m));
        }
    }

    private void Deliver(Message m)
    {
        if (!nodes.TryGetValue(m.To, out SimNode? target) || !target.IsUp)
        {
            Dropped(m, "receiver down");
            return;
        }

        if (blockedLinks.Contains((m.From, m.To)))
        {
            Dropped(m, "partitioned");
            return;
        }

        stats.MessagesDelivered++;
        trace.Add(now, "recv", m.To, m);
        if (m.Type == MessageType.Snapshot)
        {
            // The stream completed: the sender's transport reports success.
            Schedule(now + 1, new SimEvent(EventKind.SnapshotReport, m.From, 0, Peer: m.To, Flag: true));
        }

        target.Raw!.Step(m);
        AfterNodeEvent(target);
    }

    private void Dropped(Message m, string why)
    {
        trace.Add(now, "drop " + why, m.To, m);
        if (m.Type == MessageType.Snapshot)
        {
            Schedule(now + UnitsPerTick, new SimEvent(EventKind.SnapshotReport, m.From, 0, Peer: m.To, Flag: false));
        }
        else if (m.Type == MessageType.Append && random.Next(4) == 0)
        {
            Schedule(now + UnitsPerTick, new SimEvent(EventKind.UnreachableReport, m.From, 0, Peer: m.To));
        }
    }

    /// <summary>Cuts links among the running nodes: a split, an isolated node, a one-way cut, or random links.</summary>
    private void StartPartition(long tick)
    {
        blockedLinks.Clear();
        List<ulong> ids = RunningNodeIds();
        if (ids.Count < 2)
        {
            return;
        }

        string kind;
        switch (random.Next(4))
        {
            case 0:
                kind = "split";
                CutBetween(RandomSubset(ids), ids, bothWays: true);
                break;
            case 1:
                kind = "isolate";
                CutBetween([ids[random.Next(ids.Count)]], ids, bothWays: true);
                break;
            case 2:
                kind = "one-way";
                CutBetween(RandomSubset(ids), ids, bothWays: false);
                break;
            default:
                kind = "random links";
                foreach (ulong a in ids)
                {
                    foreach (ulong b in ids)
                    {
                        if (a != b && random.Next(3) == 0)
                        {
                            blockedLinks.Add((a, b));
                        }
                    }
                }

                break;
        }

        stats.Partitions++;
        partitionHealsAtTick = tick + 5 + random.Next(300);
        trace.Add(now, "partition " + kind, 0, string.Join(' ', blockedLinks.Select(l => $"{l.From}>{l.To}")));
    }

    /// <summary>Blocks every link from <paramref name="side"/> to the other running nodes (and back, when <paramref name="bothWays"/>).</summary>
    private void CutBetween(IReadOnlyCollection<ulong> side, List<ulong> ids, bool bothWays)
    {
        foreach (ulong a in side)
        {
            foreach (ulong b in ids)
            {
                if (!side.Contains(b))
                {
                    blockedLinks.Add((a, b));
                    if (bothWays)
                    {
                        blockedLinks.Add((b, a));
                    }
                }
            }
        }
    }

    private void HealPartition()
    {
        if (blockedLinks.Count > 0)
        {
            blockedLinks.Clear();
            trace.Add(now, "heal", 0);
        }
    }

    private HashSet<ulong> RandomSubset(List<ulong> ids)
    {
        var subset = new HashSet<ulong>();
        int size = 1 + random.Next(ids.Count - 1);
        while (subset.Count < size)
        {
            subset.Add(ids[random.Next(ids.Count)]);
        }

        return subset;
    }

    private List<ulong> RunningNodeIds()
    {
        var ids = new List<ulong>();
        foreach (SimNode node in nodes.Values)
        {
            if (!node.Stopped)
            {
                ids.Add(node.Id);
            }
        }

        return ids;
    }
}
