using System.Buffers.Binary;
using Cairn.Storage.Durability;
using Cairn.Storage.Wal;
using static Cairn.Storage.Tests.Wal.WalTestSupport;

namespace Cairn.Storage.Tests.Wal;

/// <summary>Checks the on-disk layout byte by byte against docs/STORAGE.md, on a real segment file.</summary>
public class WalFormatTests
{
    [Fact]
    public void A_segment_file_has_the_documented_header_batch_and_record_layout()
    {
        using var directory = new TemporaryDirectory();
        byte[] data = [1, 2, 3, 4, 5];
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            wal.Append([new WalEntry(1, 7, 2, data)], new WalHardState(7, 3, 1));
            wal.MarkSnapshot(1, 7);
        }

        byte[] file = File.ReadAllBytes(SegmentPath(directory.Path, 1));
        Assert.Equal(64 * 1024, file.Length);
        ReadOnlySpan<byte> header = file.AsSpan(0, 4096);
        Assert.Equal("CAIRNWAL"u8.ToArray(), header[..8].ToArray());
        Assert.Equal(1u, U32(header, 8));
        Assert.Equal(4096u, U32(header, 12));
        Assert.Equal(1ul, U64(header, 24));
        Assert.Equal(64ul * 1024, U64(header, 32));
        uint salt = U32(header, 40);
        Assert.Equal(0u, U32(header, 44));
        Assert.Equal(1ul, U64(header, 48));
        Assert.True(header[56..4092].IndexOfAnyExcept((byte)0) < 0, "a first segment starts from an empty log: previous index, marker and hard state are zero");
        Assert.Equal(Crc32C.Compute(header[..4092]), U32(header, 4092));

        // Batch 1: batch header, entry (32 + 5 bytes, padded to 40), hard state (40).
        ReadOnlySpan<byte> batch = file.AsSpan(4096);
        AssertRecordHeader(batch, salt, length: 32, type: 1, subtype: 0);
        Assert.Equal(1ul, U64(batch, 16));
        Assert.Equal(32u + 40 + 40, U32(batch, 24));
        Assert.Equal(2u, U32(batch, 28));

        ReadOnlySpan<byte> entry = batch[32..];
        AssertRecordHeader(entry, salt, length: 37, type: 2, subtype: 2);
        Assert.Equal(1ul, U64(entry, 16));
        Assert.Equal(7ul, U64(entry, 24));
        Assert.Equal(data, entry[32..37].ToArray());
        Assert.Equal(new byte[3], entry[37..40].ToArray());

        ReadOnlySpan<byte> hardState = entry[40..];
        AssertRecordHeader(hardState, salt, length: 40, type: 3, subtype: 0);
        Assert.Equal((7ul, 3ul, 1ul), (U64(hardState, 16), U64(hardState, 24), U64(hardState, 32)));

        // Batch 2: batch header and a compaction marker.
        ReadOnlySpan<byte> second = hardState[40..];
        AssertRecordHeader(second, salt, length: 32, type: 1, subtype: 0);
        Assert.Equal(2ul, U64(second, 16));
        ReadOnlySpan<byte> marker = second[32..];
        AssertRecordHeader(marker, salt, length: 32, type: 4, subtype: 0);
        Assert.Equal((1ul, 7ul), (U64(marker, 16), U64(marker, 24)));
        Assert.True(marker[32..].IndexOfAnyExcept((byte)0) < 0, "everything after the last batch is zero");
    }

    [Fact]
    public void A_rolled_over_segment_header_carries_the_log_state_forward()
    {
        using var directory = new TemporaryDirectory();
        ulong last = 0;
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            wal.Append(Entries(1, 3, term: 2), new WalHardState(2, 1, 3));
            wal.MarkSnapshot(2, 2);
            while (wal.SegmentCount < 2)
            {
                last = wal.LastIndex;
                wal.Append([Entry(last + 1, 2)]);
            }
        }

        ReadOnlySpan<byte> header = File.ReadAllBytes(SegmentPath(directory.Path, 2)).AsSpan(0, 4096);
        Assert.Equal(2ul, U64(header, 24));
        Assert.Equal(last, U64(header, 56));
        Assert.Equal(2ul, U64(header, 64));
        Assert.Equal((2ul, 2ul), (U64(header, 72), U64(header, 80)));
        Assert.Equal((2ul, 1ul, 3ul), (U64(header, 88), U64(header, 96), U64(header, 104)));
        byte[] first = File.ReadAllBytes(SegmentPath(directory.Path, 1));
        Assert.Equal(U64(first, 16), U64(header, 16));
        Assert.NotEqual(U32(first, 40), U32(header, 40));
    }

    private static void AssertRecordHeader(ReadOnlySpan<byte> record, uint salt, int length, byte type, byte subtype)
    {
        Assert.Equal((uint)length, U32(record, 4));
        Assert.Equal(type, record[8]);
        Assert.Equal(subtype, record[9]);
        Assert.True(record[10..16].IndexOfAnyExcept((byte)0) < 0, "reserved bytes are zero");
        Assert.Equal(Crc32C.Append(salt, record[4..length]), U32(record, 0));
    }

    private static uint U32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);

    private static ulong U64(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[offset..]);
}
