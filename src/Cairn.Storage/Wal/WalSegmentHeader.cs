using System.Buffers.Binary;
using Cairn.Storage.Durability;

namespace Cairn.Storage.Wal;

/// <summary>
/// The first 4096 bytes of every segment file. Besides identifying the file, it records the log's state
/// at the moment the segment was started (last index and term before it, snapshot marker, hard state), so
/// that older segments can be deleted and recovery can start at any segment.
/// <code>
/// 0    u64 magic "CAIRNWAL"          8    u32 format version (1)    12  u32 header bytes (4096)
/// 16   u64 WAL id                    24   u64 segment sequence      32  u64 segment bytes
/// 40   u32 salt                      44   u32 reserved (0)          48  u64 first batch sequence
/// 56   u64 previous index            64   u64 previous term
/// 72   u64 snapshot index            80   u64 snapshot term
/// 88   u64 hard state term           96   u64 hard state vote       104 u64 hard state commit
/// 112  zero up to 4092               4092 u32 CRC-32C of [0, 4092)
/// </code>
/// </summary>
internal readonly record struct WalSegmentHeader(
    ulong WalId,
    ulong Sequence,
    long SegmentBytes,
    uint Salt,
    ulong FirstBatchSequence,
    ulong PreviousIndex,
    ulong PreviousTerm,
    WalSnapshotMarker Snapshot,
    WalHardState HardState)
{
    /// <summary>"CAIRNWAL" as a little-endian u64.</summary>
    internal const ulong Magic = 0x4C41574E52494143;

    internal const uint FormatVersion = 1;

    private const int CrcOffset = WalFormat.SegmentHeaderBytes - sizeof(uint);

    internal void Write(Span<byte> destination)
    {
        Span<byte> header = destination[..WalFormat.SegmentHeaderBytes];
        header.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], WalFormat.SegmentHeaderBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], WalId);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], (ulong)SegmentBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], Salt);
        BinaryPrimitives.WriteUInt64LittleEndian(header[48..], FirstBatchSequence);
        BinaryPrimitives.WriteUInt64LittleEndian(header[56..], PreviousIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(header[64..], PreviousTerm);
        BinaryPrimitives.WriteUInt64LittleEndian(header[72..], Snapshot.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(header[80..], Snapshot.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(header[88..], HardState.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(header[96..], HardState.Vote);
        BinaryPrimitives.WriteUInt64LittleEndian(header[104..], HardState.Commit);
        BinaryPrimitives.WriteUInt32LittleEndian(header[CrcOffset..], Crc32C.Compute(header[..CrcOffset]));
    }

    /// <summary>Parses and checks a header; on failure returns null and says why.</summary>
    internal static WalSegmentHeader? TryRead(ReadOnlySpan<byte> source, out string problem)
    {
        if (source.Length < WalFormat.SegmentHeaderBytes)
        {
            problem = $"the file is {source.Length} bytes, shorter than a segment header";
            return null;
        }

        ReadOnlySpan<byte> header = source[..WalFormat.SegmentHeaderBytes];
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic)
        {
            problem = "the file does not start with the magic \"CAIRNWAL\"";
            return null;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[CrcOffset..]) != Crc32C.Compute(header[..CrcOffset]))
        {
            problem = "the segment header fails its CRC-32C";
            return null;
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FormatVersion || BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != WalFormat.SegmentHeaderBytes)
        {
            problem = $"segment format version {version} is not supported by this build (it reads version {FormatVersion})";
            return null;
        }

        problem = string.Empty;
        return new WalSegmentHeader(
            WalId: BinaryPrimitives.ReadUInt64LittleEndian(header[16..]),
            Sequence: BinaryPrimitives.ReadUInt64LittleEndian(header[24..]),
            SegmentBytes: (long)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]),
            Salt: BinaryPrimitives.ReadUInt32LittleEndian(header[40..]),
            FirstBatchSequence: BinaryPrimitives.ReadUInt64LittleEndian(header[48..]),
            PreviousIndex: BinaryPrimitives.ReadUInt64LittleEndian(header[56..]),
            PreviousTerm: BinaryPrimitives.ReadUInt64LittleEndian(header[64..]),
            Snapshot: new WalSnapshotMarker(BinaryPrimitives.ReadUInt64LittleEndian(header[72..]), BinaryPrimitives.ReadUInt64LittleEndian(header[80..])),
            HardState: new WalHardState(
                BinaryPrimitives.ReadUInt64LittleEndian(header[88..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[96..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[104..])));
    }
}
