namespace Cairn.Storage.Wal;

/// <summary>The type byte of a WAL record (offset 8 of every record). Zero is never a valid type, so zeroed space never parses as a record.</summary>
internal enum WalRecordType : byte
{
    /// <summary>Starts every batch: batch sequence number, batch length, record count.</summary>
    BatchHeader = 1,

    /// <summary>A Raft log entry: index, term, entry type, data.</summary>
    Entry = 2,

    /// <summary>The Raft hard state: term, vote, commit.</summary>
    HardState = 3,

    /// <summary>A snapshot marker: index, term, and whether it compacts or replaces the log.</summary>
    SnapshotMarker = 4,
}
