namespace Cairn.Storage.Mvcc;

/// <summary>
/// Value-space compaction: after compaction releases values, a space whose garbage reaches the configured ratio is
/// evacuated (its live values are copied to the active segment and the records re-pointed, see
/// <see cref="MvccStore.RunMaintenanceStep"/>), then retired, then unmapped once no reader can hold a reference.
/// A space with no live bytes left is retired without copying.
/// </summary>
internal sealed partial class ValueStore
{
    private readonly HashSet<ushort> _victims = [];
    private readonly List<ValueSpace> _toRetire = [];
    private readonly List<ValueSpace> _retiring = [];
    private int _retiringSlot = -1;

    /// <summary>True while spaces are being evacuated or wait to be unmapped.</summary>
    public bool HasReclaimWork => _victims.Count > 0 || _toRetire.Count > 0 || _retiring.Count > 0;

    /// <summary>True while records pointing into victim spaces must be re-pointed.</summary>
    public bool HasVictims => _victims.Count > 0;

    /// <summary>Number of value spaces currently mapped.</summary>
    public int MappedSpaceCount
    {
        get
        {
            int count = 0;
            foreach (ValueSpace? space in Volatile.Read(ref _spaces))
            {
                count += space is null ? 0 : 1;
            }

            return count;
        }
    }

    /// <summary>Drops the resident pages of every mapped value file (after a full scan). Callers hold a read ticket.</summary>
    public void DropResidentPages()
    {
        foreach (ValueSpace? space in Volatile.Read(ref _spaces))
        {
            space?.DropResidentPages();
        }
    }

    /// <summary>Chooses spaces to evacuate or retire. Apply thread only.</summary>
    public void PlanReclaim(double garbageRatio)
    {
        if (_victims.Count > 0)
        {
            return;
        }

        foreach (ValueSpace? space in _spaces)
        {
            if (space is null || ReferenceEquals(space, _active) || space.UsedBytes == 0)
            {
                continue;
            }

            if (space.LiveBytes == 0)
            {
                Retire(space);
            }
            else if (space.UsedBytes - space.LiveBytes >= garbageRatio * space.UsedBytes)
            {
                _victims.Add(space.Id);
            }
        }
    }

    /// <summary>True if the value must move out of a space being evacuated.</summary>
    public bool IsVictim(ulong valueRef) => valueRef != 0 && _victims.Contains(SpaceOf(valueRef));

    /// <summary>Copies a value out of a victim space; returns the new reference. Flush before publishing it.</summary>
    public ulong Relocate(ulong valueRef, int length)
    {
        // Copy first: Append may flush and switch segments, but never touches the victim's mapping.
        byte[] copy = Read(valueRef, length).ToArray();
        Release(valueRef, length);
        return Append(copy);
    }

    /// <summary>All records were re-pointed: the victims hold no live value any more and can be retired.</summary>
    public void FinishEvacuation()
    {
        foreach (ushort id in _victims)
        {
            ValueSpace space = _spaces[id]!;
            Invariant.Check(space.LiveBytes == 0, "an evacuated value space still has live bytes");
            Retire(space);
        }

        _victims.Clear();
    }

    /// <summary>
    /// Unmaps retired spaces whose readers are gone; call repeatedly (non-blocking). Uses two phases so that a
    /// space is freed only after every reader that entered before its retirement has left.
    /// </summary>
    public void ReclaimRetired()
    {
        if (_retiringSlot >= 0)
        {
            if (!Gate.IsDrained(_retiringSlot))
            {
                return;
            }

            foreach (ValueSpace space in _retiring)
            {
                Unregister(space);
                space.Dispose();
                _freeIds.Push(space.Id);
            }

            _retiring.Clear();
            _retiringSlot = -1;
        }

        if (_toRetire.Count > 0)
        {
            _retiring.AddRange(_toRetire);
            _toRetire.Clear();
            _retiringSlot = Gate.Flip();
        }
    }

    private void Retire(ValueSpace space)
    {
        if (!_toRetire.Contains(space) && !_retiring.Contains(space))
        {
            _toRetire.Add(space);
        }
    }

    private void Unregister(ValueSpace space)
    {
        var spaces = (ValueSpace?[])_spaces.Clone();
        spaces[space.Id] = null;
        Volatile.Write(ref _spaces, spaces);
    }
}
