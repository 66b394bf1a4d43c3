namespace Cairn.Linearizability;

/// <summary>
/// The sequential specification of one etcd key: applies one operation to a <see cref="KeyState"/>, or says
/// why that operation cannot come next. Unknown-outcome operations are optional in the search, so here they
/// are only the "it took effect" branch; a no-op application of one is rejected because leaving it
/// unlinearized means the same thing and keeps the search smaller.
/// </summary>
internal static class KeyModel
{
    /// <summary>Returns null and the next state when <paramref name="entry"/> can come next, else the reason it cannot.</summary>
    public static string? Step(in KeyEntry entry, KeyState state, out KeyState next)
    {
        next = state;
        Operation op = entry.Source;
        return entry.Kind switch
        {
            OperationKind.Get => StepGet(op, entry, state, ref next),
            OperationKind.Put => StepPut(op, entry, state, ref next),
            OperationKind.Delete => StepDelete(op, entry, state, ref next),
            _ => StepCompareAndSet(op, entry, state, ref next),
        };
    }

    private static string? StepGet(Operation op, in KeyEntry entry, KeyState state, ref KeyState next)
    {
        if (!op.Found)
        {
            return state.Exists ? $"the key holds a value ({Describe(state)}) but the get saw it absent" : null;
        }

        if (!state.Exists)
        {
            return $"the key is absent ({Describe(state)}) but the get saw {op.ReadValue}";
        }

        if (state.ValueId != entry.ReadValueId)
        {
            return $"the key holds another value ({Describe(state)}) than the get saw ({op.ReadValue})";
        }

        if (state.Exact ? state.Revision != op.ModRevision : op.ModRevision < state.Revision)
        {
            return $"the get saw mod_revision {op.ModRevision} but the write it observed has {Describe(state)}";
        }

        next = state with { Revision = op.ModRevision, Exact = true };
        return null;
    }

    private static string? StepPut(Operation op, in KeyEntry entry, KeyState state, ref KeyState next)
    {
        if (!entry.Required)
        {
            next = new KeyState(true, entry.WriteValueId, BoundAfterUnknownWrite(state), false);
            return null;
        }

        if (op.HeaderRevision <= state.Revision)
        {
            return $"the put's revision {op.HeaderRevision} is not above the key's last write ({Describe(state)})";
        }

        next = new KeyState(true, entry.WriteValueId, op.HeaderRevision, true);
        return null;
    }

    private static string? StepDelete(Operation op, in KeyEntry entry, KeyState state, ref KeyState next)
    {
        if (!entry.Required)
        {
            if (!state.Exists)
            {
                return "an unknown delete of an absent key changes nothing";
            }

            next = new KeyState(false, -1, BoundAfterUnknownWrite(state), false);
            return null;
        }

        if (op.DeletedCount == 0)
        {
            if (state.Exists)
            {
                return $"the delete deleted nothing but the key holds {Describe(state)}";
            }

            return state.Exact && op.HeaderRevision < state.Revision
                ? $"the delete's header revision {op.HeaderRevision} is below the key's last delete ({state.Revision})"
                : null;
        }

        if (!state.Exists)
        {
            return $"the delete deleted a key that is absent ({Describe(state)})";
        }

        if (op.HeaderRevision <= state.Revision)
        {
            return $"the delete's revision {op.HeaderRevision} is not above the key's last write ({Describe(state)})";
        }

        next = new KeyState(false, -1, op.HeaderRevision, true);
        return null;
    }

    private static string? StepCompareAndSet(Operation op, in KeyEntry entry, KeyState state, ref KeyState next)
    {
        bool canHold = CompareCanHold(op, entry, state, out KeyState bound);
        bool canFail = CompareCanFail(op, entry, state);
        if (!entry.Required)
        {
            if (!canHold)
            {
                return "the compare of an unknown compare-and-set cannot hold here, so applying it changes nothing";
            }

            next = new KeyState(true, entry.WriteValueId, BoundAfterUnknownWrite(bound), false);
            return null;
        }

        if (!op.Succeeded)
        {
            if (!canFail)
            {
                return $"the compare-and-set reported a failed compare but the compare holds ({Describe(state)})";
            }

            return state.Exact && op.HeaderRevision < state.Revision
                ? $"the failed compare-and-set's header revision {op.HeaderRevision} is below the key's last write ({Describe(state)})"
                : null;
        }

        if (!canHold)
        {
            return $"the compare-and-set succeeded but its compare is false ({Describe(state)})";
        }

        if (op.HeaderRevision <= bound.Revision)
        {
            return $"the compare-and-set's revision {op.HeaderRevision} is not above the key's last write ({Describe(bound)})";
        }

        next = new KeyState(true, entry.WriteValueId, op.HeaderRevision, true);
        return null;
    }

    /// <summary>
    /// The revision lower bound after an unknown write. After an exact revision R it is R + 1. After another
    /// unknown write the bound stays where it is instead of growing by one per write: slightly weaker,
    /// but chains of unknown writes then end in the same state whatever their length, which is what lets
    /// the memo prune them (otherwise every subset of pending timed-out writes is a separate state).
    /// </summary>
    private static long BoundAfterUnknownWrite(KeyState state) => state.Exact ? state.Revision + 1 : state.Revision;

    private static bool CompareCanHold(Operation op, in KeyEntry entry, KeyState state, out KeyState bound)
    {
        bound = state;
        if (op.Compare == CompareTarget.Value)
        {
            return state.Exists && state.ValueId == entry.CompareValueId;
        }

        if (!state.Exists)
        {
            return op.CompareModRevision == 0;
        }

        if (state.Exact)
        {
            return state.Revision == op.CompareModRevision;
        }

        // An unknown write's revision is only bounded below: the compare may hold, which binds it.
        bound = state with { Revision = op.CompareModRevision, Exact = true };
        return op.CompareModRevision >= state.Revision;
    }

    private static bool CompareCanFail(Operation op, in KeyEntry entry, KeyState state)
    {
        if (op.Compare == CompareTarget.Value)
        {
            return !(state.Exists && state.ValueId == entry.CompareValueId);
        }

        if (!state.Exists)
        {
            return op.CompareModRevision != 0;
        }

        // An unbound revision can always differ from the expected one.
        return !state.Exact || state.Revision != op.CompareModRevision;
    }

    /// <summary>The state in report form (value ids are not meaningful to readers, so revisions lead).</summary>
    public static string Describe(KeyState state)
    {
        string revision = state.Exact ? $"revision {state.Revision}" : $"revision >= {state.Revision} (unknown write)";
        return state.Exists ? $"value #{state.ValueId} at {revision}" : $"absent since {revision}";
    }
}
