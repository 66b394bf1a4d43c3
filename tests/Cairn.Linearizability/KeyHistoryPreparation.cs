namespace Cairn.Linearizability;

/// <summary>
/// Turns one key's operations into search entries: drops what cannot matter (definitely failed operations,
/// reads with unknown outcome, and unknown writes nobody could have observed), interns values, sorts by
/// invocation time.
/// </summary>
internal static class KeyHistoryPreparation
{
    public static KeySearch Prepare(string key, List<Operation> operations, long maxConfigurations, long deadlineTimestamp)
    {
        var valueIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var valueNames = new List<string>();
        foreach (Operation op in operations)
        {
            if (op.Outcome != Outcome.Failed && op.WriteValue is not null && op.Kind != OperationKind.Get)
            {
                valueIds[op.WriteValue] = valueNames.Count;
                valueNames.Add(op.WriteValue);
            }
        }

        HashSet<string> observed = ObservedValues(operations);
        var entries = new List<KeyEntry>(operations.Count);
        foreach (Operation op in operations)
        {
            if (Keep(op, operations, observed))
            {
                entries.Add(ToEntry(op, valueIds));
            }
        }

        entries.Sort((a, b) => a.InvokeTicks.CompareTo(b.InvokeTicks));
        return new KeySearch(key, [.. entries], [.. valueNames], maxConfigurations, deadlineTimestamp);
    }

    private static KeyEntry ToEntry(Operation op, Dictionary<string, int> valueIds)
    {
        bool required = op.Outcome == Outcome.Ok;
        return new KeyEntry(
            op,
            op.Kind,
            op.InvokeTicks,
            required ? op.ReturnTicks : long.MaxValue,
            required,
            Lookup(op.WriteValue, valueIds),
            Lookup(op.Found ? op.ReadValue : null, valueIds),
            Lookup(op.CompareValue, valueIds));
    }

    private static int Lookup(string? value, Dictionary<string, int> valueIds) =>
        value is not null && valueIds.TryGetValue(value, out int id) ? id : KeyEntry.NeverWritten;

    private static bool Keep(Operation op, List<Operation> operations, HashSet<string> observed)
    {
        if (op.Outcome == Outcome.Failed || (op.Outcome == Outcome.Unknown && op.Kind == OperationKind.Get))
        {
            return false;
        }

        bool unknownWrite = op.Outcome == Outcome.Unknown && op.Kind is OperationKind.Put or OperationKind.CompareAndSet;
        return !unknownWrite || observed.Contains(op.WriteValue!) || SomethingLaterCouldDependOnIt(op, operations);
    }

    /// <summary>Values that some ok read or successful value compare returned, so some write must explain them.</summary>
    private static HashSet<string> ObservedValues(List<Operation> operations)
    {
        var observed = new HashSet<string>(StringComparer.Ordinal);
        foreach (Operation op in operations)
        {
            if (op.Outcome != Outcome.Ok)
            {
                continue;
            }

            if (op.Kind == OperationKind.Get && op.Found && op.ReadValue is not null)
            {
                observed.Add(op.ReadValue);
            }
            else if (op.Kind == OperationKind.CompareAndSet && op.Succeeded && op.Compare == CompareTarget.Value && op.CompareValue is not null)
            {
                observed.Add(op.CompareValue);
            }
        }

        return observed;
    }

    /// <summary>
    /// An unknown write whose value nobody read can still explain a later delete that found the key, a failed
    /// compare or a revision compare that held; only when none of those follows its invocation is dropping it
    /// the same as never linearizing it (which the search would otherwise have to try at every point).
    /// </summary>
    private static bool SomethingLaterCouldDependOnIt(Operation unknownWrite, List<Operation> operations)
    {
        foreach (Operation op in operations)
        {
            if (op.Outcome != Outcome.Ok || op.ReturnTicks < unknownWrite.InvokeTicks)
            {
                continue;
            }

            bool dependent = op.Kind switch
            {
                OperationKind.Delete => op.DeletedCount > 0,
                OperationKind.CompareAndSet => !op.Succeeded || op.Compare == CompareTarget.ModRevision,
                _ => false,
            };
            if (dependent)
            {
                return true;
            }
        }

        return false;
    }
}
