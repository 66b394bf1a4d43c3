using System.Buffers.Binary;
using Cairn.Storage.Durability;

namespace Cairn.Storage.Wal;

/// <summary>
/// Byte layout of WAL records (docs/STORAGE.md, "WAL records", is the reference). Every record starts on an
/// 8-byte boundary with a 16-byte common header, and is followed by zero padding to the next boundary:
/// <code>
/// 0  u32  crc32c   CRC-32C of bytes [4, length), seeded with the segment's salt
/// 4  u32  length   bytes from offset 0 to the end of the record's content (padding excluded)
/// 8  u8   type     <see cref="WalRecordType"/>
/// 9  u8   subtype  entry type (Entry), marker kind (SnapshotMarker), 0 otherwise
/// 10 u8[6]         reserved, zero
/// 16 ...           type-specific fields
/// </code>
/// All integers are little-endian.
/// </summary>
internal static class WalFormat
{
    internal const int SegmentHeaderBytes = 4096;
    internal const int RecordAlignment = 8;
    internal const int CommonHeaderBytes = 16;
    internal const int BatchHeaderBytes = 32;
    internal const int EntryHeaderBytes = 32;
    internal const int HardStateBytes = 40;
    internal const int SnapshotMarkerBytes = 32;

    internal const byte MarkerKindCompact = 0;
    internal const byte MarkerKindRestore = 1;

    internal const int LengthOffset = 4;
    internal const int TypeOffset = 8;
    internal const int SubtypeOffset = 9;
    internal const int ReservedOffset = 10;
    internal const int FirstFieldOffset = 16;
    internal const int SecondFieldOffset = 24;
    internal const int ThirdFieldOffset = 32;

    internal static int Align(int lengthBytes) => (lengthBytes + RecordAlignment - 1) & ~(RecordAlignment - 1);

    internal static int EntryRecordBytes(int dataBytes) => Align(EntryHeaderBytes + dataBytes);

    internal static void WriteBatchHeader(Span<byte> destination, uint salt, ulong batchSequence, int batchBytes, int recordCount)
    {
        WriteCommonHeader(destination, BatchHeaderBytes, WalRecordType.BatchHeader, subtype: 0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[FirstFieldOffset..], batchSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SecondFieldOffset..], (uint)batchBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(SecondFieldOffset + 4)..], (uint)recordCount);
        Seal(destination, salt, BatchHeaderBytes);
    }

    /// <summary>Writes an entry record and returns its size including padding.</summary>
    internal static int WriteEntry(Span<byte> destination, uint salt, ulong index, ulong term, byte entryType, ReadOnlySpan<byte> data)
    {
        int lengthBytes = EntryHeaderBytes + data.Length;
        WriteCommonHeader(destination, lengthBytes, WalRecordType.Entry, entryType);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[FirstFieldOffset..], index);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[SecondFieldOffset..], term);
        data.CopyTo(destination[EntryHeaderBytes..]);
        return Seal(destination, salt, lengthBytes);
    }

    internal static int WriteHardState(Span<byte> destination, uint salt, WalHardState hardState)
    {
        WriteCommonHeader(destination, HardStateBytes, WalRecordType.HardState, subtype: 0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[FirstFieldOffset..], hardState.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[SecondFieldOffset..], hardState.Vote);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[ThirdFieldOffset..], hardState.Commit);
        return Seal(destination, salt, HardStateBytes);
    }

    internal static int WriteSnapshotMarker(Span<byte> destination, uint salt, WalSnapshotMarker marker, byte kind)
    {
        WriteCommonHeader(destination, SnapshotMarkerBytes, WalRecordType.SnapshotMarker, kind);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[FirstFieldOffset..], marker.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[SecondFieldOffset..], marker.Term);
        return Seal(destination, salt, SnapshotMarkerBytes);
    }

    internal static uint ReadLength(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt32LittleEndian(record[LengthOffset..]);

    internal static WalRecordType ReadType(ReadOnlySpan<byte> record) => (WalRecordType)record[TypeOffset];

    internal static byte ReadSubtype(ReadOnlySpan<byte> record) => record[SubtypeOffset];

    internal static ulong ReadField(ReadOnlySpan<byte> record, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(record[offset..]);

    /// <summary>Whether the CRC stored in a record of <paramref name="lengthBytes"/> bytes matches its content.</summary>
    internal static bool HasValidCrc(ReadOnlySpan<byte> record, uint salt, int lengthBytes) =>
        BinaryPrimitives.ReadUInt32LittleEndian(record) == Crc32C.Append(salt, record[LengthOffset..lengthBytes]);

    private static void WriteCommonHeader(Span<byte> destination, int lengthBytes, WalRecordType type, byte subtype)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination[LengthOffset..], (uint)lengthBytes);
        destination[TypeOffset] = (byte)type;
        destination[SubtypeOffset] = subtype;
        destination[ReservedOffset..FirstFieldOffset].Clear();
    }

    /// <summary>Zeroes the padding, stores the CRC, and returns the padded size.</summary>
    private static int Seal(Span<byte> destination, uint salt, int lengthBytes)
    {
        int paddedBytes = Align(lengthBytes);
        destination[lengthBytes..paddedBytes].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Crc32C.Append(salt, destination[LengthOffset..lengthBytes]));
        return paddedBytes;
    }
}
