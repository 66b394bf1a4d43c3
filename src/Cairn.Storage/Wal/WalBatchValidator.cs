namespace Cairn.Storage.Wal;

/// <summary>
/// Checks that a batch on disk is complete and intact: a valid batch header with the expected sequence
/// number, then exactly the announced records, each with a valid CRC, known type, sane length, zero
/// reserved bytes and zero padding, filling the batch exactly. A batch is accepted whole or not at all.
/// </summary>
internal static class WalBatchValidator
{
    /// <summary>Validates the batch at <paramref name="offset"/>; returns its length, or 0 and why not.</summary>
    internal static int TryValidate(WalSegment segment, int offset, ulong expectedSequence, out string problem)
    {
        if (!TryReadHeader(segment, offset, out ulong sequence, out int batchBytes, out int recordCount, out problem))
        {
            return 0;
        }

        if (sequence != expectedSequence)
        {
            problem = $"the batch header at offset {offset} has sequence number {sequence}, expected {expectedSequence}";
            return 0;
        }

        int recordOffset = offset + WalFormat.BatchHeaderBytes;
        int batchEnd = offset + batchBytes;
        for (int record = 0; record < recordCount; record++)
        {
            int recordBytes = ValidateRecord(segment, recordOffset, batchEnd, out problem);
            if (recordBytes == 0)
            {
                return 0;
            }

            recordOffset += recordBytes;
        }

        if (recordOffset != batchEnd)
        {
            problem = $"the batch at offset {offset} announces {recordCount} records in {batchBytes} bytes, but they end at offset {recordOffset}";
            return 0;
        }

        return batchBytes;
    }

    /// <summary>Whether a CRC-valid batch header lies at <paramref name="offset"/>; gives its sequence and length.</summary>
    internal static bool TryReadHeader(WalSegment segment, int offset, out ulong sequence, out int batchBytes, out int recordCount, out string problem)
    {
        sequence = 0;
        batchBytes = 0;
        recordCount = 0;
        if (offset > segment.LengthBytes - WalFormat.BatchHeaderBytes)
        {
            problem = $"no room for a batch header at offset {offset}";
            return false;
        }

        ReadOnlySpan<byte> header = segment.Read(offset, WalFormat.BatchHeaderBytes);
        if (WalFormat.ReadType(header) != WalRecordType.BatchHeader || WalFormat.ReadLength(header) != WalFormat.BatchHeaderBytes
            || WalFormat.ReadSubtype(header) != 0 || header[WalFormat.ReservedOffset..WalFormat.FirstFieldOffset].IndexOfAnyExcept((byte)0) >= 0
            || !WalFormat.HasValidCrc(header, segment.Salt, WalFormat.BatchHeaderBytes))
        {
            problem = header.IndexOfAnyExcept((byte)0) < 0
                ? $"the batch header at offset {offset} is zero"
                : $"the batch header at offset {offset} is not a valid batch header (bad type, length or CRC-32C)";
            return false;
        }

        sequence = WalFormat.ReadField(header, WalFormat.FirstFieldOffset);
        ulong lengthAndCount = WalFormat.ReadField(header, WalFormat.SecondFieldOffset);
        long claimedBytes = (long)(uint)lengthAndCount;
        recordCount = (int)Math.Min(lengthAndCount >> 32, int.MaxValue);
        if (claimedBytes < WalFormat.BatchHeaderBytes + WalFormat.SnapshotMarkerBytes || claimedBytes % WalFormat.RecordAlignment != 0
            || claimedBytes > segment.LengthBytes - offset || recordCount < 1)
        {
            problem = $"the batch header at offset {offset} announces an impossible batch ({claimedBytes} bytes, {recordCount} records)";
            return false;
        }

        batchBytes = (int)claimedBytes;
        problem = string.Empty;
        return true;
    }

    /// <summary>Returns the padded size of the valid record at <paramref name="offset"/>, or 0 and why not.</summary>
    private static int ValidateRecord(WalSegment segment, int offset, int batchEnd, out string problem)
    {
        if (offset > batchEnd - WalFormat.CommonHeaderBytes)
        {
            problem = $"the record at offset {offset} would run past its batch's end at {batchEnd}";
            return 0;
        }

        ReadOnlySpan<byte> common = segment.Read(offset, WalFormat.CommonHeaderBytes);
        long lengthBytes = WalFormat.ReadLength(common);
        WalRecordType type = WalFormat.ReadType(common);
        byte subtype = WalFormat.ReadSubtype(common);
        bool shapeValid = type switch
        {
            WalRecordType.Entry => lengthBytes >= WalFormat.EntryHeaderBytes,
            WalRecordType.HardState => lengthBytes == WalFormat.HardStateBytes && subtype == 0,
            WalRecordType.SnapshotMarker => lengthBytes == WalFormat.SnapshotMarkerBytes && subtype <= WalFormat.MarkerKindRestore,
            _ => false,
        };
        long paddedBytes = (lengthBytes + WalFormat.RecordAlignment - 1) & ~(WalFormat.RecordAlignment - 1);
        if (!shapeValid || paddedBytes > batchEnd - offset || common[WalFormat.ReservedOffset..].IndexOfAnyExcept((byte)0) >= 0)
        {
            problem = $"the record at offset {offset} has an invalid type ({(byte)type}), length ({lengthBytes}) or reserved bytes";
            return 0;
        }

        ReadOnlySpan<byte> record = segment.Read(offset, (int)paddedBytes);
        if (!WalFormat.HasValidCrc(record, segment.Salt, (int)lengthBytes) || record[(int)lengthBytes..].IndexOfAnyExcept((byte)0) >= 0)
        {
            problem = $"the record at offset {offset} ({lengthBytes} bytes) fails its CRC-32C or has non-zero padding";
            return 0;
        }

        problem = string.Empty;
        return (int)paddedBytes;
    }
}
