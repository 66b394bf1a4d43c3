using System.Diagnostics;

namespace Cairn.Linearizability;

/// <summary>
/// Checks a recorded history against etcd's KV semantics: per key, a linearizability search over values and
/// mod_revisions (keys are independent objects except for the shared revision counter); globally, that
/// revisions are unique per write and never go backwards in real time (<see cref="RevisionOrderCheck"/>).
/// </summary>
public static class LinearizabilityChecker
{
    /// <summary>Checks <paramref name="history"/>; never answers linearizable when the search was cut short.</summary>
    public static CheckResult Check(IReadOnlyList<Operation> history, CheckLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        limits ??= new CheckLimits();
        Validate(history);
        long deadline = Stopwatch.GetTimestamp() + (long)(limits.Timeout.TotalSeconds * Stopwatch.Frequency);
        var explanations = new List<string>();
        bool anyUnknown = false;
        bool anyViolation = false;
        long configurations = 0;
        int checkedCount = 0;
        foreach ((string key, List<Operation> operations) in GroupByKey(history))
        {
            KeySearch search = KeyHistoryPreparation.Prepare(key, operations, limits.MaxConfigurationsPerKey, deadline);
            checkedCount += search.EntryCount;
            (Verdict verdict, string? explanation) = search.Run();
            configurations += search.ConfigurationsVisited;
            anyUnknown |= verdict == Verdict.Unknown;
            anyViolation |= verdict == Verdict.Violation;
            if (explanation is not null)
            {
                explanations.Add(explanation);
            }
        }

        List<string> global = RevisionOrderCheck.Run(history);
        bool violated = anyViolation || global.Count > 0;
        explanations.AddRange(global);
        return new CheckResult
        {
            Verdict = violated ? Verdict.Violation : anyUnknown ? Verdict.Unknown : Verdict.Linearizable,
            Explanations = explanations,
            OperationsChecked = checkedCount,
            ConfigurationsVisited = configurations,
        };
    }

    private static SortedDictionary<string, List<Operation>> GroupByKey(IReadOnlyList<Operation> history)
    {
        var byKey = new SortedDictionary<string, List<Operation>>(StringComparer.Ordinal);
        foreach (Operation op in history)
        {
            if (!byKey.TryGetValue(op.Key, out List<Operation>? list))
            {
                list = [];
                byKey[op.Key] = list;
            }

            list.Add(op);
        }

        return byKey;
    }

    /// <summary>Rejects histories the model cannot interpret, saying what is wrong with them.</summary>
    private static void Validate(IReadOnlyList<Operation> history)
    {
        var writers = new HashSet<string>(StringComparer.Ordinal);
        foreach (Operation op in history)
        {
            if (op.Kind is OperationKind.Put or OperationKind.CompareAndSet)
            {
                if (op.WriteValue is null)
                {
                    throw new ArgumentException($"{op}: a put or compare-and-set needs a WriteValue", nameof(history));
                }

                if (!writers.Add(op.Key + "\0" + op.WriteValue))
                {
                    throw new ArgumentException(
                        $"{op}: value '{op.WriteValue}' is written twice to key {op.Key}; the checker needs unique values per write "
                        + "to tell which write a read saw (add a client id and sequence number to each value)", nameof(history));
                }
            }

            if (op.Outcome == Outcome.Ok && op.ReturnTicks < op.InvokeTicks)
            {
                throw new ArgumentException($"{op}: returned before it was invoked; record both times on one monotonic clock", nameof(history));
            }
        }
    }
}
