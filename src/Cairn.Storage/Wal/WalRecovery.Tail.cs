namespace Cairn.Storage.Wal;

/// <summary>What lies after the last valid batch of a segment: clean zeros, a torn write, or corruption.</summary>
internal sealed partial class WalRecovery
{
    /// <summary>
    /// Decides about the bytes after the last valid batch of <paramref name="segment"/>.
    /// The writer copies batch k+1 into the segment only after batch k's sync returned, and never writes
    /// past a batch it has not synced. So after a crash at most one batch can be incomplete, it is the
    /// last one written, and nothing written after it exists. Hence:
    /// - all zero: the log simply ends here;
    /// - not the last segment: the writer moved on to the next segment only after this one was synced,
    ///   so anything non-zero here is corruption;
    /// - an intact batch with a later sequence number after the invalid one: the invalid one had been
    ///   synced, so it is corruption;
    /// - otherwise: a torn write of the last, unacknowledged batch; it is zeroed and synced.
    /// </summary>
    private void ResolveTail(WalSegment segment, bool isLast, string problem)
    {
        int stopOffset = segment.WriteOffset;
        int tailBytes = segment.LengthBytes - stopOffset;
        int lastNonZero = segment.Read(stopOffset, tailBytes).LastIndexOfAnyExcept((byte)0);
        if (lastNonZero < 0)
        {
            return;
        }

        if (!isLast)
        {
            throw new WalCorruptionException(segment.FilePath, stopOffset, $"{problem}, and the data after it cannot be a torn write because a later segment exists");
        }

        int dirtyEnd = stopOffset + lastNonZero + 1;
        int evidenceOffset = FindLaterBatch(segment, stopOffset + WalFormat.RecordAlignment, dirtyEnd, out ulong evidenceSequence);
        if (evidenceOffset >= 0)
        {
            throw new WalCorruptionException(segment.FilePath, stopOffset, $"{problem}, but an intact later batch (sequence {evidenceSequence}) follows at offset {evidenceOffset}, so this is damage to data that had been made durable, not a torn write");
        }

        segment.Write(stopOffset, dirtyEnd - stopOffset).Clear();
        SyncRepair(segment, stopOffset, dirtyEnd - stopOffset);
        Report.TornTailFile = segment.FilePath;
        Report.TornTailOffset = stopOffset;
        Report.TornTailBytes = dirtyEnd - stopOffset;
        Report.TornTailReason = problem;
        _options.Log?.Invoke($"WAL: torn write after the last complete batch repaired: zeroed {dirtyEnd - stopOffset} bytes at {segment.FilePath} offset {stopOffset} ({problem}); the batch had not been acknowledged");
    }

    /// <summary>The offset of a CRC-valid batch header with a sequence after the expected one in [from, to), or -1.</summary>
    private int FindLaterBatch(WalSegment segment, int from, int to, out ulong sequence)
    {
        ReadOnlySpan<byte> bytes = segment.Read(0, segment.LengthBytes);
        for (int offset = from; offset < to && offset <= segment.LengthBytes - WalFormat.BatchHeaderBytes; offset += WalFormat.RecordAlignment)
        {
            // Cheap pre-check on the type and length fields before the CRC.
            if (bytes[offset + WalFormat.TypeOffset] != (byte)WalRecordType.BatchHeader || bytes[offset + WalFormat.LengthOffset] != WalFormat.BatchHeaderBytes)
            {
                continue;
            }

            if (WalBatchValidator.TryReadHeader(segment, offset, out sequence, out _, out _, out _) && sequence > NextBatchSequence)
            {
                return offset;
            }
        }

        sequence = 0;
        return -1;
    }

    private static void SyncRepair(WalSegment segment, int offset, int lengthBytes) =>
        segment.Mapping.SyncRange(offset, lengthBytes);
}
