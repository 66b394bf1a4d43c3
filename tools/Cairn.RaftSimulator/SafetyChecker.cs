namespace Cairn.Raft.Simulation;

/// <summary>
/// Checks Raft's safety properties incrementally, on every step of the simulation:
/// <list type="bullet">
/// <item>election safety: at most one leader per term;</item>
/// <item>log matching: an (index, term) pair identifies one entry and one predecessor term, on every node;</item>
/// <item>committed entries are never lost or changed: every commit-index advance on any node agrees with the
/// global committed prefix, and every new leader holds that whole prefix (leader completeness);</item>
/// <item>state-machine safety: every applied entry (and installed snapshot) equals the committed one at its index;</item>
/// <item>linearizable reads (checked by <see cref="Simulation"/> with <see cref="CheckRead"/>).</item>
/// </list>
/// Each check costs O(new entries), so running them after every event stays cheap.
/// </summary>
internal sealed class SafetyChecker
{
    private readonly Dictionary<ulong, ulong> leaderOfTerm = [];
    private readonly Dictionary<(ulong Index, ulong Term), (ulong PreviousTerm, ReadOnlyMemory<byte> Data, EntryType Type)> appended = [];

    // committed[i - 1] is the entry committed at index i, learned from whichever node first committed it.
    private readonly List<(ulong Term, ReadOnlyMemory<byte> Data, EntryType Type)> committed = [];
    private readonly Dictionary<ulong, ulong> snapshotTermAt = [];

    public ulong CommittedIndex => (ulong)committed.Count;

    public int LeadersElected => leaderOfTerm.Count;

    public int CaretakerLeaders { get; private set; }

    /// <summary>Election safety and leader completeness, when <paramref name="node"/> is a leader in a term we have not seen it lead.</summary>
    public void CheckLeader(SimNode node)
    {
        Raft raft = node.Raw!.Raft;
        if (raft.Role != RaftRole.Leader || node.LeaderTermChecked == raft.Term)
        {
            return;
        }

        node.LeaderTermChecked = raft.Term;
        if (leaderOfTerm.TryGetValue(raft.Term, out ulong other) && other != node.Id)
        {
            throw new SimulationViolation("election safety", $"nodes {other} and {node.Id} are both leaders of term {raft.Term}");
        }

        leaderOfTerm[raft.Term] = node.Id;
        if (!raft.Tracker.IsVoter(node.Id))
        {
            CaretakerLeaders++; // a removed member leading until the voters learn of its removal
        }

        RaftLog log = raft.Log;
        ulong from = Math.Max(log.FirstIndex(), 1);
        if (log.LastIndex() < CommittedIndex)
        {
            throw new SimulationViolation("leader completeness",
                $"node {node.Id} leads term {raft.Term} with last index {log.LastIndex()}, but index {CommittedIndex} is committed");
        }

        CheckSnapshotPosition(node, from - 1, log.TermOrZero(from - 1));
        for (ulong index = from; index <= CommittedIndex; index++)
        {
            ulong term = log.TermOrZero(index);
            if (term != committed[(int)index - 1].Term)
            {
                throw new SimulationViolation("leader completeness",
                    $"node {node.Id} leads term {raft.Term} with entry {term}/{index}, but {committed[(int)index - 1].Term}/{index} is committed");
            }
        }
    }

    /// <summary>Log matching, for entries a node is about to persist (taken from its Ready).</summary>
    public void CheckAppended(SimNode node, IReadOnlyList<Entry> entries)
    {
        RaftLog log = node.Raw!.Raft.Log;
        for (int i = 0; i < entries.Count; i++)
        {
            Entry entry = entries[i];
            ulong previousTerm = i > 0 ? entries[i - 1].Term : log.TermOrZero(entry.Index - 1);
            var key = (entry.Index, entry.Term);
            if (appended.TryGetValue(key, out var known))
            {
                if (known.PreviousTerm != previousTerm && previousTerm != 0 && known.PreviousTerm != 0)
                {
                    throw new SimulationViolation("log matching",
                        $"node {node.Id} has {entry.Term}/{entry.Index} after an entry of term {previousTerm}, another node after term {known.PreviousTerm}");
                }

                if (known.Type != entry.Type || !known.Data.Span.SequenceEqual(entry.Data.Span))
                {
                    throw new SimulationViolation("log matching", $"node {node.Id} has a different entry {entry.Term}/{entry.Index} than another node");
                }
            }
            else
            {
                appended[key] = (previousTerm, entry.Data, entry.Type);
            }
        }
    }

    /// <summary>Compares every index the node newly committed with the global committed prefix (extending it).</summary>
    public void CheckCommitted(SimNode node)
    {
        RaftLog log = node.Raw!.Raft.Log;
        ulong commit = log.Committed;
        if (commit <= node.CheckedCommit)
        {
            return;
        }

        ulong low = Math.Max(node.CheckedCommit + 1, log.FirstIndex());
        if (node.CheckedCommit + 1 < low)
        {
            // Covered by a snapshot: its own index and term are checked when it is installed.
            CheckSnapshotPosition(node, log.FirstIndex() - 1, log.TermOrZero(log.FirstIndex() - 1));
        }

        while (low <= commit)
        {
            Entry[] page = log.Slice(low, commit + 1, 1 << 20);
            foreach (Entry entry in page)
            {
                RecordCommitted(node, entry);
            }

            low = page[^1].Index + 1;
        }

        node.CheckedCommit = commit;
    }

    /// <summary>State-machine safety for one applied entry.</summary>
    public void CheckApplied(SimNode node, in Entry entry)
    {
        if (entry.Index > CommittedIndex)
        {
            throw new SimulationViolation("state machine safety", $"node {node.Id} applies {entry.Term}/{entry.Index} beyond any committed index {CommittedIndex}");
        }

        var expected = committed[(int)entry.Index - 1];
        if (expected.Term != entry.Term || expected.Type != entry.Type || !expected.Data.Span.SequenceEqual(entry.Data.Span))
        {
            throw new SimulationViolation("state machine safety",
                $"node {node.Id} applies {entry.Term}/{entry.Index}, but {expected.Term}/{entry.Index} is the committed entry there");
        }
    }

    /// <summary>State-machine safety for an installed snapshot: its position must be a committed entry, and equal state at equal index.</summary>
    public void CheckSnapshotPosition(SimNode node, ulong index, ulong term)
    {
        if (index == 0)
        {
            return;
        }

        if (index <= CommittedIndex && committed[(int)index - 1].Term != term)
        {
            throw new SimulationViolation("state machine safety",
                $"node {node.Id} holds a snapshot at {term}/{index}, but {committed[(int)index - 1].Term}/{index} is committed");
        }

        if (snapshotTermAt.TryGetValue(index, out ulong known) && known != term)
        {
            throw new SimulationViolation("state machine safety", $"snapshots at index {index} disagree on its term ({known} and {term})");
        }

        snapshotTermAt[index] = term;
    }

    /// <summary>
    /// A read served at <paramref name="readIndex"/> must reflect every write acknowledged before it started: its read
    /// index covers them, and the value it returns is at least as new as the newest of them.
    /// </summary>
    public static void CheckRead(SimNode node, PendingRead read, ulong readIndex, ulong servedWriteIndex)
    {
        if (readIndex < read.RequiredIndex)
        {
            throw new SimulationViolation("linearizable reads",
                $"read {read.ReadId} on node {node.Id} got read index {readIndex}, but a write at index {read.RequiredIndex} was acknowledged before it started");
        }

        if (servedWriteIndex < read.RequiredKeyIndex)
        {
            throw new SimulationViolation("linearizable reads",
                $"read {read.ReadId} of key {read.Key} on node {node.Id} returned the write at index {servedWriteIndex}, but the write at index {read.RequiredKeyIndex} was acknowledged before it started");
        }
    }

    private void RecordCommitted(SimNode node, Entry entry)
    {
        ulong index = entry.Index;
        if (index <= CommittedIndex)
        {
            var known = committed[(int)index - 1];
            if (known.Term != entry.Term || known.Type != entry.Type || !known.Data.Span.SequenceEqual(entry.Data.Span))
            {
                throw new SimulationViolation("committed entries never change",
                    $"node {node.Id} committed {entry.Term}/{index}, but {known.Term}/{index} was committed before");
            }

            return;
        }

        if (index != CommittedIndex + 1)
        {
            // The node learned its prefix from a snapshot; entries in between were committed by others, or by nobody
            // we watched. Fill the gap with what this node has (its snapshot covers those indexes).
            throw new SimulationViolation("committed entries never change",
                $"node {node.Id} committed index {index} while the global committed prefix ends at {CommittedIndex}");
        }

        committed.Add((entry.Term, entry.Data, entry.Type));
    }
}
