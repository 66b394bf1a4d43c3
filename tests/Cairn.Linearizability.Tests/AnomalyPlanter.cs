using Cairn.Linearizability;

namespace Cairn.Linearizability.Tests;

/// <summary>
/// Edits a simulated linearizable history so it provably is not: each method picks operations whose
/// real-time order makes the edit impossible to explain, or returns false when the history has no such spot.
/// </summary>
internal static class AnomalyPlanter
{
    /// <summary>A get invoked after a write completed returns the state that write replaced.</summary>
    public static bool StaleRead(SimulatedHistory history, Random random)
    {
        var choices = new List<(Operation Get, Operation Write)>();
        foreach (Operation get in OkGets(history))
        {
            foreach ((Operation write, var prior) in history.PriorState)
            {
                if (write.Key == get.Key && write.IsAcknowledgedWrite && prior.Exists && write.ReturnTicks < get.InvokeTicks)
                {
                    choices.Add((get, write));
                }
            }

            if (choices.Count > 200)
            {
                break;
            }
        }

        if (choices.Count == 0)
        {
            return false;
        }

        (Operation staleGet, Operation overwritten) = choices[random.Next(choices.Count)];
        SetRead(staleGet, history.PriorState[overwritten]);
        return true;
    }

    /// <summary>An acknowledged put vanishes: every get that saw it sees the state before it instead.</summary>
    public static bool LostWrite(SimulatedHistory history, Random random)
    {
        var choices = new List<Operation>();
        foreach ((Operation write, var prior) in history.PriorState)
        {
            if (write.Kind == OperationKind.Put && write.Outcome == Outcome.Ok && prior.Exists
                && history.ObservedWriter.Any(pair => pair.Value == write && pair.Key.InvokeTicks > write.ReturnTicks))
            {
                choices.Add(write);
            }
        }

        if (choices.Count == 0)
        {
            return false;
        }

        Operation lost = choices[random.Next(choices.Count)];
        foreach ((Operation get, Operation writer) in history.ObservedWriter)
        {
            if (writer == lost)
            {
                SetRead(get, history.PriorState[lost]);
            }
        }

        return true;
    }

    /// <summary>A get's header revision is below that of an operation that completed before it started.</summary>
    public static bool NonMonotonicRevision(SimulatedHistory history, Random random)
    {
        List<Operation> gets = OkGets(history);
        for (int attempt = 0; attempt < 100 && gets.Count > 0; attempt++)
        {
            Operation get = gets[random.Next(gets.Count)];
            Operation? before = history.Operations
                .Where(op => op.Outcome == Outcome.Ok && op.ReturnTicks < get.InvokeTicks && op.HeaderRevision >= 2)
                .MaxBy(op => op.HeaderRevision);
            if (before is not null)
            {
                get.HeaderRevision = before.HeaderRevision - 1;
                get.ModRevision = Math.Min(get.ModRevision, get.HeaderRevision);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A put that timed out is seen, then overwritten by an acknowledged write, then seen again with a new
    /// revision: it took effect twice.
    /// </summary>
    public static bool DuplicatedUnknownWrite(SimulatedHistory history, Random random)
    {
        var choices = new List<(Operation Later, Operation Unknown)>();
        foreach ((Operation firstSeen, Operation unknownPut) in history.ObservedWriter)
        {
            if (unknownPut.Outcome != Outcome.Unknown || unknownPut.Kind != OperationKind.Put)
            {
                continue;
            }

            foreach (Operation write in history.PriorState.Keys)
            {
                if (write.Key != firstSeen.Key || !write.IsAcknowledgedWrite || write.InvokeTicks <= firstSeen.ReturnTicks)
                {
                    continue;
                }

                Operation? later = OkGets(history).FirstOrDefault(get => get.Key == write.Key && get.InvokeTicks > write.ReturnTicks);
                if (later is not null)
                {
                    choices.Add((later, unknownPut));
                    break;
                }
            }
        }

        if (choices.Count == 0)
        {
            return false;
        }

        (Operation seenAgain, Operation duplicated) = choices[random.Next(choices.Count)];
        SetRead(seenAgain, (true, duplicated.WriteValue, seenAgain.HeaderRevision));
        return true;
    }

    private static List<Operation> OkGets(SimulatedHistory history) =>
        history.Operations.Where(op => op.Kind == OperationKind.Get && op.Outcome == Outcome.Ok).ToList();

    private static void SetRead(Operation get, (bool Exists, string? Value, long ModRevision) state)
    {
        get.Found = state.Exists;
        get.ReadValue = state.Value;
        get.ModRevision = state.Exists ? state.ModRevision : 0;
    }
}
