namespace Cairn.Linearizability;

/// <summary>
/// The global part of the check. Revisions are one counter across all keys, so per-key searches cannot see
/// them go backwards across keys. This checks, over every ok operation of the whole history:
/// (1) no two acknowledged writes share a revision; (2) real-time order: when A returned before B was
/// invoked, B's header revision is at least A's, and strictly above it when B is a write;
/// (3) a get's header revision is at least the mod_revision it returned.
/// </summary>
internal static class RevisionOrderCheck
{
    private const int MaxFindingsReported = 10;

    public static List<string> Run(IReadOnlyList<Operation> history)
    {
        var findings = new List<string>();
        var okOperations = new List<Operation>();
        foreach (Operation op in history)
        {
            if (op.Outcome == Outcome.Ok)
            {
                okOperations.Add(op);
            }
        }

        CheckDistinctWriteRevisions(okOperations, findings);
        CheckGetHeaders(okOperations, findings);
        CheckRealTimeOrder(okOperations, findings);
        return findings;
    }

    private static void CheckDistinctWriteRevisions(List<Operation> okOperations, List<string> findings)
    {
        var writers = new Dictionary<long, Operation>();
        foreach (Operation op in okOperations)
        {
            if (!op.IsAcknowledgedWrite)
            {
                continue;
            }

            if (writers.TryGetValue(op.HeaderRevision, out Operation? other) && findings.Count < MaxFindingsReported)
            {
                findings.Add($"revision {op.HeaderRevision} was acknowledged to two writes:\n    {other}\n    {op}");
            }

            writers[op.HeaderRevision] = op;
        }
    }

    private static void CheckGetHeaders(List<Operation> okOperations, List<string> findings)
    {
        foreach (Operation op in okOperations)
        {
            if (op.Kind == OperationKind.Get && op.Found && op.ModRevision > op.HeaderRevision && findings.Count < MaxFindingsReported)
            {
                findings.Add($"a get returned mod_revision {op.ModRevision} above its own header revision:\n    {op}");
            }
        }
    }

    /// <summary>Sweep in invocation order, folding in every operation that returned before the current invocation.</summary>
    private static void CheckRealTimeOrder(List<Operation> okOperations, List<string> findings)
    {
        Operation[] byInvoke = [.. okOperations];
        Operation[] byReturn = [.. okOperations];
        Array.Sort(byInvoke, (a, b) => a.InvokeTicks.CompareTo(b.InvokeTicks));
        Array.Sort(byReturn, (a, b) => a.ReturnTicks.CompareTo(b.ReturnTicks));
        Operation? highest = null;
        int returned = 0;
        foreach (Operation op in byInvoke)
        {
            while (returned < byReturn.Length && byReturn[returned].ReturnTicks < op.InvokeTicks)
            {
                Operation done = byReturn[returned++];
                if (highest is null || done.HeaderRevision > highest.HeaderRevision)
                {
                    highest = done;
                }
            }

            if (highest is null || findings.Count >= MaxFindingsReported)
            {
                continue;
            }

            bool backwards = op.IsAcknowledgedWrite
                ? op.HeaderRevision <= highest.HeaderRevision
                : op.HeaderRevision < highest.HeaderRevision;
            if (backwards)
            {
                findings.Add($"revision went backwards in real time: {op.HeaderRevision} after {highest.HeaderRevision}:\n"
                    + $"    {highest}\n    returned before this was invoked:\n    {op}");
            }
        }
    }
}
