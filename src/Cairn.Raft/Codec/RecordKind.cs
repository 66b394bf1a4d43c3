namespace Cairn.Raft.Codec;

/// <summary>The second header byte of every top-level record; decoding a record as the wrong kind fails clearly.</summary>
internal enum RecordKind : byte
{
    Message = 1,
    Entry = 2,
    HardState = 3,
    ConfChange = 4,
    ConfState = 5,
    SnapshotMetadata = 6,
}
