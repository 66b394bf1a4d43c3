using Cairn.Storage.Snapshots;

namespace Cairn.Storage.Mvcc;

/// <summary>Writing the key-value section of a snapshot from a pinned root, and rebuilding a store from one.</summary>
public sealed partial class MvccStore
{
    /// <summary>
    /// Writes every key with its records at or below <paramref name="revision"/> that survive compaction at
    /// <paramref name="compactRevision"/>, in key order, then the end marker. Runs on any thread while apply goes on:
    /// records at or below the revision never change, and the caller keeps maintenance blocked and holds a read
    /// ticket so histories are not rewritten and value files stay mapped.
    /// </summary>
    internal (long Keys, long Records) WriteKvSection(SnapshotWriteStream output, IndexNode root, long revision, long compactRevision)
    {
        long keys = 0;
        long records = 0;
        var cursor = new IndexCursor();
        cursor.Seek(root, []);
        var survivors = new List<int>();
        while (cursor.MoveNext())
        {
            RevisionRecord[] history = cursor.History;
            survivors.Clear();
            int last = KeyHistory.FindAtOrBefore(history, revision);
            for (int i = 0; i <= last; i++)
            {
                if (KeyHistory.SurvivesCompaction(history, i, compactRevision))
                {
                    survivors.Add(i);
                }
            }

            if (survivors.Count == 0)
            {
                continue;
            }

            output.WriteUInt32((uint)cursor.Key.Length);
            output.Write(cursor.Key);
            output.WriteUInt32((uint)survivors.Count);
            foreach (int index in survivors)
            {
                SnapshotSections.WriteRecord(output, history[index], ReadValue(history[index]));
            }

            keys++;
            records += survivors.Count;
        }

        return (keys, records);
    }

    /// <summary>
    /// Reads the KV section into this (empty) store: keys and records go to the index, value bytes stay in the
    /// snapshot file, which is mapped and referenced in place. Apply thread, before the store is used.
    /// </summary>
    internal (long Keys, long Records) LoadKvSection(SnapshotReadStream input, string snapshotPath)
    {
        Invariant.Check(_index.KeyCount == 0 && _currentRevision == 1, "loading a snapshot into a used store");
        ushort space = _values.AttachReadOnlyFile(snapshotPath);
        long keys = 0;
        long records = 0;
        while (true)
        {
            uint keyLength = input.ReadUInt32();
            if (keyLength == SnapshotFormat.EndOfKeys)
            {
                break;
            }

            if (keyLength == 0 || keyLength > SnapshotFormat.MaxItemBytes)
            {
                throw input.Corrupt($"key length {keyLength} at offset {input.Position - 4} is impossible");
            }

            byte[] key = new byte[keyLength];
            input.ReadExactly(key);
            RevisionRecord[] history = ReadHistory(input, space, key);
            _index.BulkAppend(key, history);
            AttachLatestLease(key, history);
            keys++;
            records += history.Length;
        }

        _index.BulkComplete();
        return (keys, records);
    }

    private RevisionRecord[] ReadHistory(SnapshotReadStream input, ushort space, byte[] key)
    {
        int count = input.ReadLength("record count");
        if (count == 0)
        {
            throw input.Corrupt($"a key with no records before offset {input.Position}");
        }

        var history = new RevisionRecord[count];
        for (int i = 0; i < count; i++)
        {
            ref RevisionRecord record = ref history[i];
            record.ModRevision = input.ReadInt64();
            record.SubRevision = input.ReadInt32();
            record.CreateRevision = input.ReadInt64();
            record.Version = input.ReadInt64();
            record.Lease = input.ReadInt64();
            record.ValueLength = input.ReadLength("value");
            record.ValueRef = _values.ReferenceInPlace(space, input.Position, record.ValueLength);
            input.Skip(record.ValueLength);
            if (record.ModRevision <= 0 || (i > 0 && history[i - 1].ModRevision > record.ModRevision))
            {
                throw input.Corrupt($"records out of order before offset {input.Position}");
            }

            AccountRecordAdded(key.Length, record.ValueLength);
        }

        return history;
    }

    private void AttachLatestLease(byte[] key, RevisionRecord[] history)
    {
        ref readonly RevisionRecord latest = ref history[^1];
        if (!latest.IsTombstone && latest.Lease != 0)
        {
            _leases.Attach(latest.Lease, key);
        }
    }

    /// <summary>Sets the revisions after a load (apply thread).</summary>
    internal void CompleteLoad(long revision, long compactRevision)
    {
        Volatile.Write(ref _compactRevision, compactRevision);
        Volatile.Write(ref _currentRevision, revision);
    }
}
