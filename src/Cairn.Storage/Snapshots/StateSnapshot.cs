using Cairn.Protocol.Internal;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// A point-in-time view of the whole state at an applied index, captured in a few microseconds on the apply thread
/// (<see cref="StateMachine.KvStateMachine.CaptureSnapshot"/>) and written out from any thread while apply goes on.
/// Dispose it when done: until then compaction's physical purge and value-file reclamation wait.
/// </summary>
public sealed class StateSnapshot : IDisposable
{
    private readonly MvccStore _store;
    private readonly IndexNode _root;
    private readonly Action _release;
    private ReadGate.Ticket _ticket;
    private bool _disposed;

    internal StateSnapshot(MvccStore store, IndexNode root, StateSnapshotMetadata metadata, Action release)
    {
        _store = store;
        _root = root;
        Metadata = metadata;
        _release = release;
        _ticket = store.Gate.Enter();
    }

    /// <summary>Everything but the key-value records: applied index/term, revisions, membership, leases, alarms.</summary>
    public StateSnapshotMetadata Metadata { get; }

    /// <summary>The store the snapshot reads from (valid until disposed).</summary>
    internal MvccStore Store
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _store;
        }
    }

    /// <summary>The pinned index root: the keys and histories as of the snapshot.</summary>
    internal IndexNode Root => _root;

    /// <summary>Index of the last raft entry reflected in this snapshot.</summary>
    public ulong AppliedIndex => Metadata.AppliedIndex;

    /// <summary>Term of that entry.</summary>
    public ulong AppliedTerm => Metadata.AppliedTerm;

    /// <summary>
    /// Writes the snapshot file format (<see cref="SnapshotFormat"/>) to <paramref name="output"/>; returns the byte
    /// count. Does not flush or sync the stream.
    /// </summary>
    public long WriteTo(Stream output, int bufferBytes = 1 << 20)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var writer = new SnapshotWriteStream(output, bufferBytes);
        SnapshotSections.WriteHead(writer, Metadata);
        (long keys, long records) = _store.WriteKvSection(writer, _root, Metadata.Revision, Metadata.CompactRevision);
        SnapshotSections.WriteTail(writer, keys, records);
        _store.Values.DropResidentPages();
        return writer.Position;
    }

    /// <summary>HashKV of the captured key-value state at its revision.</summary>
    internal uint HashKv() => _store.HashHistory(_root, Metadata.Revision, Metadata.CompactRevision);

    /// <summary>Lets maintenance run again.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ticket.Dispose();
        _release();
    }
}
