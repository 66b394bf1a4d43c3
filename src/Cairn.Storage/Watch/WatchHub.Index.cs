using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Watch;

/// <summary>The watcher index: exact keys by hash, ranges grouped and sorted by start key.</summary>
public sealed partial class WatchHub
{
    private IEnumerable<Watcher> AllWatchers()
    {
        foreach (List<Watcher> list in _exact.Values)
        {
            foreach (Watcher watcher in list)
            {
                yield return watcher;
            }
        }

        foreach (RangeGroup group in _ranges)
        {
            foreach (Watcher watcher in group.Watchers)
            {
                yield return watcher;
            }
        }
    }

    private void AddToIndex(Watcher watcher)
    {
        _watcherCount++;
        if (KeyRange.IsSingleKey(watcher.RangeEndBytes))
        {
            if (!_exact.TryGetValue(watcher.KeyBytes, out List<Watcher>? list))
            {
                list = [];
                _exact.Add(watcher.KeyBytes, list);
            }

            list.Add(watcher);
            return;
        }

        int position = FindGroup(watcher.KeyBytes, watcher.RangeEndBytes, out bool found);
        if (!found)
        {
            _ranges.Insert(position, new RangeGroup(watcher.KeyBytes, watcher.RangeEndBytes));
        }

        _ranges[position].Watchers.Add(watcher);
    }

    private void RemoveFromIndex(Watcher watcher)
    {
        if (KeyRange.IsSingleKey(watcher.RangeEndBytes))
        {
            if (_exact.TryGetValue(watcher.KeyBytes, out List<Watcher>? list) && list.Remove(watcher))
            {
                _watcherCount--;
                if (list.Count == 0)
                {
                    _exact.Remove(watcher.KeyBytes);
                }
            }

            return;
        }

        int position = FindGroup(watcher.KeyBytes, watcher.RangeEndBytes, out bool found);
        if (found && _ranges[position].Watchers.Remove(watcher))
        {
            _watcherCount--;
            if (_ranges[position].Watchers.Count == 0)
            {
                _ranges.RemoveAt(position);
            }
        }
    }

    /// <summary>Position of the group with this (key, range end) in the sorted list, or where it would go.</summary>
    private int FindGroup(byte[] key, byte[] rangeEnd, out bool found)
    {
        int low = 0;
        int high = _ranges.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (CompareGroup(_ranges[mid], key, rangeEnd) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        found = low < _ranges.Count && CompareGroup(_ranges[low], key, rangeEnd) == 0;
        return low;
    }

    private static int CompareGroup(RangeGroup group, byte[] key, byte[] rangeEnd)
    {
        int byKey = group.Key.AsSpan().SequenceCompareTo(key);
        return byKey != 0 ? byKey : group.RangeEnd.AsSpan().SequenceCompareTo(rangeEnd);
    }

    /// <summary>How many range groups start at or before <paramref name="key"/> (only those can contain it).</summary>
    private int RangeGroupsStartingAtOrBefore(byte[] key)
    {
        int low = 0;
        int high = _ranges.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_ranges[mid].Key.AsSpan().SequenceCompareTo(key) <= 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>Watchers sharing one (key, range end).</summary>
    private sealed class RangeGroup(byte[] key, byte[] rangeEnd)
    {
        public byte[] Key { get; } = key;

        public byte[] RangeEnd { get; } = rangeEnd;

        public List<Watcher> Watchers { get; } = [];
    }
}
