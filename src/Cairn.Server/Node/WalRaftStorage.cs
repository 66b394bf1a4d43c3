using System.Runtime.InteropServices;
using Cairn.Raft;
using Cairn.Storage.Wal;

namespace Cairn.Server.Node;

/// <summary>
/// Raft's storage interface on the write-ahead log: the log, the hard state and the snapshot marker live in the WAL;
/// the membership of the latest snapshot and the snapshot's position come from the node. Recently appended entries are
/// also kept in memory (bounded by <see cref="MaxCachedEntries"/> and <see cref="MaxCachedBytes"/>), so applying what was
/// just persisted does not read it back from the WAL.
/// </summary>
/// <remarks>Called only from the raft loop thread (reads and writes), as <see cref="IRaftStorage"/> requires.</remarks>
public sealed class WalRaftStorage : IRaftStorage
{
    /// <summary>Entries kept in the in-memory tail cache.</summary>
    public const int MaxCachedEntries = 8192;

    /// <summary>Payload bytes kept in the in-memory tail cache.</summary>
    public const long MaxCachedBytes = 32L * 1024 * 1024;

    private readonly WriteAheadLog _wal;
    private readonly List<WalEntry> _appendBuffer = [];
    private readonly List<Entry> _cache = [];
    private long _cachedBytes;
    private ConfState _snapshotConfState;
    private SnapshotMetadata? _latestSnapshot;
    private readonly ulong _appliedFloor;

    /// <summary>Wraps <paramref name="wal"/>. <paramref name="confState"/> is the membership as of
    /// <paramref name="appliedIndex"/>, the index the state machine was loaded at.</summary>
    public WalRaftStorage(WriteAheadLog wal, ConfState confState, ulong appliedIndex)
    {
        _wal = wal;
        _snapshotConfState = confState;
        _appliedFloor = appliedIndex;
    }

    /// <summary>The WAL underneath.</summary>
    public WriteAheadLog Wal => _wal;

    /// <inheritdoc />
    public RaftInitialState InitialState()
    {
        WalHardState persisted = _wal.HardState;
        // The state machine only applies committed entries, so a loaded snapshot proves its index was committed even
        // if the hard state carrying that commit index was not synced (commit-only hard states are written lazily).
        ulong commit = Math.Max(persisted.Commit, Math.Min(_appliedFloor, _wal.LastIndex));
        return new RaftInitialState(new HardState(persisted.Term, persisted.Vote, commit), _snapshotConfState);
    }

    /// <inheritdoc />
    public ulong FirstIndex() => _wal.FirstIndex;

    /// <inheritdoc />
    public ulong LastIndex() => _wal.LastIndex;

    /// <inheritdoc />
    public StorageLookup TryGetTerm(ulong index, out ulong term)
    {
        if (TryGetCached(index, out Entry cached))
        {
            term = cached.Term;
            return StorageLookup.Ok;
        }

        return _wal.TryGetTerm(index, out term) switch
        {
            WalLookup.Found => StorageLookup.Ok,
            WalLookup.Compacted => StorageLookup.Compacted,
            _ => StorageLookup.Unavailable,
        };
    }

    /// <inheritdoc />
    public StorageLookup TryGetEntries(ulong lowIndex, ulong highIndexExclusive, ulong maxBytes, List<Entry> destination)
    {
        if (lowIndex < _wal.FirstIndex)
        {
            return StorageLookup.Compacted;
        }

        if (highIndexExclusive > _wal.LastIndex + 1)
        {
            return StorageLookup.Unavailable;
        }

        if (TryCopyFromCache(lowIndex, highIndexExclusive, maxBytes, destination))
        {
            return StorageLookup.Ok;
        }

        var visitor = new EntryCollector(destination, maxBytes);
        return _wal.ReadEntries(lowIndex, highIndexExclusive, ulong.MaxValue, ref visitor) switch
        {
            WalLookup.Found => StorageLookup.Ok,
            WalLookup.Compacted => StorageLookup.Compacted,
            _ => StorageLookup.Unavailable,
        };
    }

    /// <inheritdoc />
    public StorageLookup TryGetSnapshot(out Snapshot snapshot)
    {
        // The snapshot's data stays in its file (data/snap); a peer transport streams that file for this index.
        if (_latestSnapshot is null)
        {
            snapshot = null!;
            return StorageLookup.SnapshotTemporarilyUnavailable;
        }

        snapshot = new Snapshot(_latestSnapshot, ReadOnlyMemory<byte>.Empty);
        return StorageLookup.Ok;
    }

    /// <summary>Records that a state snapshot at this position (with this membership) exists on disk.</summary>
    public void SetLatestSnapshot(ulong index, ulong term, ConfState confState)
    {
        _latestSnapshot = new SnapshotMetadata(index, term, confState);
        _snapshotConfState = confState;
    }

    /// <summary>
    /// Persists a Ready's entries and hard state with one sync (the WAL's group commit). Entries may replace a stored
    /// suffix from their first index on. Throws <see cref="WalFatalException"/> when durability failed (fail-stop).
    /// </summary>
    public void Append(IReadOnlyList<Entry> entries, HardState? hardState)
    {
        _appendBuffer.Clear();
        for (int i = 0; i < entries.Count; i++)
        {
            Entry entry = entries[i];
            _appendBuffer.Add(new WalEntry(entry.Index, entry.Term, (byte)entry.Type, entry.Data));
        }

        WalHardState? walHardState = hardState is HardState state ? new WalHardState(state.Term, state.Vote, state.Commit) : null;
        _wal.Append(CollectionsMarshal.AsSpan(_appendBuffer), walHardState);
        _appendBuffer.Clear();
        Remember(entries);
    }

    private void Remember(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        ulong first = entries[0].Index;
        if (_cache.Count > 0 && (first <= _cache[0].Index || first > _cache[^1].Index + 1))
        {
            // An overwritten suffix that reaches before the cache, or a gap: start over.
            DropCacheFrom(0);
        }
        else if (_cache.Count > 0 && first <= _cache[^1].Index)
        {
            DropCacheFrom((int)(first - _cache[0].Index));
        }

        for (int i = 0; i < entries.Count; i++)
        {
            _cache.Add(entries[i]);
            _cachedBytes += entries[i].Data.Length;
        }

        if (_cache.Count <= MaxCachedEntries && _cachedBytes <= MaxCachedBytes)
        {
            return;
        }

        // Over a limit: trim to three quarters of both at once. Dropping just the excess would shift the whole list on
        // every append once the cache is full (a put at one client spent more CPU there than in applying itself).
        int drop = 0;
        long droppedBytes = 0;
        while (_cache.Count - drop > MaxCachedEntries / 4 * 3 || _cachedBytes - droppedBytes > MaxCachedBytes / 4 * 3)
        {
            droppedBytes += _cache[drop].Data.Length;
            drop++;
        }

        _cache.RemoveRange(0, drop);
        _cachedBytes -= droppedBytes;
    }

    private void DropCacheFrom(int position)
    {
        for (int i = position; i < _cache.Count; i++)
        {
            _cachedBytes -= _cache[i].Data.Length;
        }

        _cache.RemoveRange(position, _cache.Count - position);
    }

    private bool TryGetCached(ulong index, out Entry entry)
    {
        if (_cache.Count > 0 && index >= _cache[0].Index && index <= _cache[^1].Index && index >= _wal.FirstIndex)
        {
            entry = _cache[(int)(index - _cache[0].Index)];
            return true;
        }

        entry = default;
        return false;
    }

    private bool TryCopyFromCache(ulong lowIndex, ulong highIndexExclusive, ulong maxBytes, List<Entry> destination)
    {
        if (_cache.Count == 0 || lowIndex < _cache[0].Index || highIndexExclusive - 1 > _cache[^1].Index)
        {
            return false;
        }

        ulong totalBytes = 0;
        int start = (int)(lowIndex - _cache[0].Index);
        for (ulong index = lowIndex; index < highIndexExclusive; index++)
        {
            Entry entry = _cache[start + (int)(index - lowIndex)];
            totalBytes += entry.SizeBytes;
            if (index > lowIndex && totalBytes > maxBytes)
            {
                break;
            }

            destination.Add(entry);
        }

        return true;
    }

    /// <summary>Copies entries out of the WAL mapping, stopping before the size limit (at least one entry).</summary>
    private struct EntryCollector(List<Entry> destination, ulong maxBytes) : IWalEntryVisitor
    {
        private ulong _totalBytes;
        private bool _any;

        public bool Visit(in WalEntryView entry)
        {
            var copy = new Entry(entry.Index, entry.Term, (EntryType)entry.Type, entry.Data.ToArray());
            _totalBytes += copy.SizeBytes;
            if (_any && _totalBytes > maxBytes)
            {
                return false;
            }

            destination.Add(copy);
            _any = true;
            return true;
        }
    }
}
