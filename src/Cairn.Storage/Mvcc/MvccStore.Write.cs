using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Mvcc;

/// <summary>The write path: one write transaction per applied request, one revision per transaction that changes
/// something (etcd reference §4.1, §4.3, §4.4). Apply thread only.</summary>
public sealed partial class MvccStore
{
    /// <summary>The revision the current write transaction will publish.</summary>
    private long PendingRevision => _currentRevision + 1;

    /// <summary>The revision a read inside the current write transaction sees: the pending one once something changed.</summary>
    private long WriteReadRevision => _changes.Count > 0 ? PendingRevision : _currentRevision;

    /// <summary>Applies a Put (etcd apply semantics: lease first, then ignore_value/ignore_lease). Apply thread only.</summary>
    public PutResponse Put(PutRequest request)
    {
        RequestValidation.CheckPut(request);
        if (request.Lease != 0 && !_leases.LeaseExists(request.Lease))
        {
            throw EtcdError.LeaseNotFound.ToException();
        }

        BeginWrite();
        try
        {
            return PutInWrite(request);
        }
        finally
        {
            EndWrite();
        }
    }

    /// <summary>Applies a DeleteRange. Apply thread only.</summary>
    public DeleteRangeResponse DeleteRange(DeleteRangeRequest request)
    {
        RequestValidation.CheckDeleteRange(request);
        BeginWrite();
        try
        {
            return DeleteRangeInWrite(request);
        }
        finally
        {
            EndWrite();
        }
    }

    /// <summary>Deletes the given keys in one revision (lease revocation). Apply thread only.</summary>
    /// <returns>The store revision after the deletion.</returns>
    public long DeleteKeys(IReadOnlyList<byte[]> keys)
    {
        BeginWrite();
        try
        {
            foreach (byte[] key in keys)
            {
                if (KeyIndex.TryFind(_index.WorkingRoot, key, out LeafNode leaf, out int index))
                {
                    TryDeleteAt(leaf, index);
                }
            }

            return WriteReadRevision;
        }
        finally
        {
            EndWrite();
        }
    }

    private void BeginWrite()
    {
        Invariant.Check(!_writing, "MvccStore writes must not overlap (one apply thread)");
        _writing = true;
        _changes.Clear();
        _index.BeginEpoch();
    }

    /// <summary>Publishes the transaction: value bytes written, index root, then the revision, then watchers.</summary>
    private void EndWrite()
    {
        try
        {
            if (_changes.Count == 0)
            {
                return;
            }

            _values.Flush();
            _index.Publish();
            long revision = PendingRevision;
            Volatile.Write(ref _currentRevision, revision);
            _changeSink?.OnRevisionCommitted(revision, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_changes));
        }
        finally
        {
            _changes.Clear();
            _writing = false;
        }
    }

    /// <summary>The Put of a write transaction; validation (lease existence) is the caller's.</summary>
    private PutResponse PutInWrite(PutRequest request)
    {
        var response = new PutResponse { Header = new ResponseHeader() };
        ReadOnlySpan<byte> key = request.Key.Span;
        bool found = KeyIndex.TryFind(_index.WorkingRoot, key, out LeafNode leaf, out int index);
        RevisionRecord[]? history = found ? leaf.Histories[index] : null;
        bool live = TryVisible(history, long.MaxValue, out int latest);
        RevisionRecord previous = live ? history![latest] : default;
        if ((request.IgnoreValue || request.IgnoreLease) && !live)
        {
            throw EtcdError.KeyNotFound.ToException();
        }

        if (request.PrevKv && live)
        {
            response.PrevKv = ToKeyValue(leaf.Keys[index], previous, includeValue: true);
        }

        ReadOnlySpan<byte> value = request.IgnoreValue ? ReadValue(previous) : request.Value.Span;
        long lease = request.IgnoreLease ? previous.Lease : request.Lease;
        WriteRecord(found ? leaf : null, index, key, value, lease, live, previous);
        response.Header.Revision = PendingRevision;
        return response;
    }

    /// <summary>
    /// Appends a put record for <paramref name="key"/> (at <paramref name="leaf"/>/<paramref name="index"/> of the
    /// working tree if the caller already found it) and updates lease attachments and accounting.
    /// </summary>
    private void WriteRecord(LeafNode? leaf, int index, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long lease, bool live,
        in RevisionRecord previous)
    {
        long revision = PendingRevision;
        var record = new RevisionRecord
        {
            ModRevision = revision,
            CreateRevision = live ? previous.CreateRevision : revision,
            Version = live ? previous.Version + 1 : 1,
            Lease = lease,
            ValueRef = _values.Append(value),
            ValueLength = value.Length,
            SubRevision = _changes.Count,
        };
        leaf ??= _index.FindOrInsert(key, out index, out _);
        byte[] storedKey = leaf.Keys[index];
        AppendToHistory(leaf, index, record);

        long previousLease = live ? previous.Lease : 0;
        if (previousLease != lease)
        {
            if (previousLease != 0)
            {
                _leases.Detach(previousLease, storedKey);
            }

            if (lease != 0)
            {
                _leases.Attach(lease, storedKey);
            }
        }

        AccountRecordAdded(storedKey.Length, value.Length);
        _changes.Add(new MvccChange(storedKey, record, previous, live));
    }

    private DeleteRangeResponse DeleteRangeInWrite(DeleteRangeRequest request)
    {
        var response = new DeleteRangeResponse { Header = new ResponseHeader() };
        ReadOnlySpan<byte> key = request.Key.Span;
        ReadOnlySpan<byte> rangeEnd = request.RangeEnd.Span;
        long deleted = 0;
        if (KeyRange.IsSingleKey(rangeEnd))
        {
            if (KeyIndex.TryFind(_index.WorkingRoot, key, out LeafNode leaf, out int index))
            {
                deleted += DeleteOne(leaf, index, request.PrevKv, response);
            }
        }
        else
        {
            var cursor = new IndexCursor();
            cursor.Seek(_index.WorkingRoot, key);
            while (cursor.MoveNext() && !KeyRange.IsPastEnd(rangeEnd, cursor.Key))
            {
                deleted += DeleteOne(cursor.Leaf, cursor.Index, request.PrevKv, response);
            }
        }

        response.Deleted = deleted;
        response.Header.Revision = WriteReadRevision;
        return response;
    }

    private int DeleteOne(LeafNode leaf, int index, bool withPrevKv, DeleteRangeResponse response)
    {
        RevisionRecord[] history = leaf.Histories[index];
        if (!TryVisible(history, long.MaxValue, out int latest))
        {
            return 0;
        }

        if (withPrevKv)
        {
            response.PrevKvs.Add(ToKeyValue(leaf.Keys[index], history[latest], includeValue: true));
        }

        return TryDeleteAt(leaf, index) ? 1 : 0;
    }

    /// <summary>Appends a tombstone if the key is live. Does not change the tree's shape (the key stays indexed
    /// until compaction), so it is safe while a cursor walks the working tree.</summary>
    private bool TryDeleteAt(LeafNode leaf, int index)
    {
        RevisionRecord[] history = leaf.Histories[index];
        if (!TryVisible(history, long.MaxValue, out int latest))
        {
            return false;
        }

        RevisionRecord previous = history[latest];
        var tombstone = new RevisionRecord { ModRevision = PendingRevision, SubRevision = _changes.Count };
        AppendToHistory(leaf, index, tombstone);
        byte[] key = leaf.Keys[index];
        if (previous.Lease != 0)
        {
            _leases.Detach(previous.Lease, key);
        }

        AccountRecordAdded(key.Length, 0);

        // The event's prev_kv is the key's state at revision-1; it differs from the record just replaced only when
        // this txn put the key before deleting it (the "from key" delete quirk, see TxnDuplicateCheck).
        RevisionRecord eventPrevious = previous;
        bool hasEventPrevious = true;
        if (previous.ModRevision == PendingRevision)
        {
            RevisionRecord[] updated = leaf.Histories[index];
            hasEventPrevious = TryVisible(updated, PendingRevision - 1, out int before);
            eventPrevious = hasEventPrevious ? updated[before] : default;
        }

        _changes.Add(new MvccChange(key, tombstone, eventPrevious, hasEventPrevious));
        return true;
    }

    private static void AppendToHistory(LeafNode leaf, int index, in RevisionRecord record)
    {
        RevisionRecord[]? history = leaf.Histories[index];
        RevisionRecord[] updated = KeyHistory.Append(history, record);
        if (!ReferenceEquals(updated, history))
        {
            Volatile.Write(ref leaf.Histories[index], updated);
        }
    }
}
