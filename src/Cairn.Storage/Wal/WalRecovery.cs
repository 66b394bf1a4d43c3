using System.Diagnostics;
using Cairn.Storage.Durability;

namespace Cairn.Storage.Wal;

/// <summary>
/// Opens the segment files of a WAL directory and rebuilds the log's state, applying the rules of
/// docs/STORAGE.md ("Recovery"): batches are replayed in order; after the last valid batch of the last
/// segment, anything that is not zero is a torn write and is zeroed, unless an intact later batch proves
/// that the invalid batch had been synced, in which case the WAL is corrupt and is not opened.
/// </summary>
internal sealed partial class WalRecovery
{
    private readonly string _directory;
    private readonly WalOptions _options;
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

    private WalRecovery(string directory, WalOptions options)
    {
        _directory = directory;
        _options = options;
    }

    internal List<WalSegment> Segments { get; } = [];

    internal WalLogState State { get; } = new();

    internal ulong NextBatchSequence { get; private set; } = 1;

    internal WalRecoveryReport Report { get; } = new();

    /// <summary>Recovers the WAL in <paramref name="directory"/>. No segments found: <see cref="Segments"/> is empty.</summary>
    internal static WalRecovery Run(string directory, WalOptions options)
    {
        var recovery = new WalRecovery(directory, options);
        try
        {
            recovery.Replay();
            return recovery;
        }
        catch
        {
            foreach (WalSegment segment in recovery.Segments)
            {
                segment.Dispose();
            }

            throw;
        }
    }

    private void Replay()
    {
        DeleteUnfinishedPreparations();
        List<(ulong Sequence, string Path)> files = WalSegmentFiles.List(_directory);
        int chainStart = files.Count;
        while (chainStart > 0 && (chainStart == files.Count || files[chainStart - 1].Sequence == files[chainStart].Sequence - 1))
        {
            chainStart--;
        }

        for (int position = chainStart; position < files.Count; position++)
        {
            bool isLast = position == files.Count - 1;
            WalSegment segment = OpenSegment(files[position].Sequence, files[position].Path, writable: isLast);
            Segments.Add(segment);
            ReplaySegment(segment, isLast);
        }

        if (Segments.Count > 0 && State.HasMissingEntries)
        {
            WalSegment first = Segments[0];
            throw new WalCorruptionException(first.FilePath, 0, $"the log needs entries {State.Snapshot.Index + 1} to {State.Index.BaseIndex} from segments before sequence {first.Sequence}, but those files are missing and no snapshot covers them");
        }

        DeleteReleasedLeftovers(files, chainStart);
        Report.SegmentsReplayed = Segments.Count;
        Report.Elapsed = _stopwatch.Elapsed;
    }

    private WalSegment OpenSegment(ulong sequence, string path, bool writable)
    {
        long fileBytes = new FileInfo(path).Length;
        if (fileBytes < WalFormat.SegmentHeaderBytes + WalFormat.BatchHeaderBytes)
        {
            throw new WalCorruptionException(path, 0, $"the segment file is only {fileBytes} bytes long");
        }

        MappedFile mapping = MappedFile.Open(path, writable);
        try
        {
            WalSegmentHeader? parsed = WalSegmentHeader.TryRead(mapping.GetReadOnlySpan(0, WalFormat.SegmentHeaderBytes), out string problem);
            if (parsed is not WalSegmentHeader header)
            {
                throw new WalCorruptionException(path, 0, problem);
            }

            if (header.Sequence != sequence || header.SegmentBytes != mapping.LengthBytes)
            {
                throw new WalCorruptionException(path, 0, $"the header describes segment {header.Sequence} of {header.SegmentBytes} bytes, but the file is segment {sequence} of {mapping.LengthBytes} bytes");
            }

            if (Segments.Count > 0 && header.WalId != Segments[0].Header.WalId)
            {
                throw new WalCorruptionException(path, 16, $"the segment belongs to another WAL (id {header.WalId:x16}, expected {Segments[0].Header.WalId:x16})");
            }

            return new WalSegment(path, mapping, header);
        }
        catch
        {
            mapping.Dispose();
            throw;
        }
    }

    private void ReplaySegment(WalSegment segment, bool isLast)
    {
        CheckHeaderContinuesLog(segment);
        int offset = WalFormat.SegmentHeaderBytes;
        string problem = "the segment is full";
        while (true)
        {
            int batchBytes = WalBatchValidator.TryValidate(segment, offset, NextBatchSequence, out problem);
            if (batchBytes == 0)
            {
                break;
            }

            (string? applyProblem, int problemOffset) = State.ApplyBatch(segment, offset, offset + batchBytes);
            if (applyProblem != null)
            {
                throw new WalCorruptionException(segment.FilePath, problemOffset, applyProblem);
            }

            offset += batchBytes;
            NextBatchSequence++;
            Report.BatchesReplayed++;
        }

        segment.WriteOffset = offset;
        ResolveTail(segment, isLast, problem);
        // Checking the tail read every page after the last batch (a fresh 64 MiB segment stayed resident after each
        // restart); they are zeros or a synced repair, and the writer maps in again only what it writes.
        segment.DropResidentRange(offset, segment.LengthBytes - offset);
        segment.DropResidentBelow(isLast ? offset - Math.Max(0, _options.ResidentWindowBytes) : segment.LengthBytes);
    }

    private void CheckHeaderContinuesLog(WalSegment segment)
    {
        WalSegmentHeader header = segment.Header;
        if (Segments.Count == 1)
        {
            State.StartFrom(header);
            NextBatchSequence = header.FirstBatchSequence;
            return;
        }

        ulong? lastTerm = State.TermAt(State.LastIndex);
        bool consistent = header.FirstBatchSequence == NextBatchSequence && header.PreviousIndex == State.LastIndex
            && (lastTerm == null || header.PreviousTerm == lastTerm) && header.Snapshot == State.Snapshot && header.HardState == State.HardState;
        if (!consistent)
        {
            throw new WalCorruptionException(segment.FilePath, 0, $"the segment header (first batch {header.FirstBatchSequence}, previous index {header.PreviousIndex}, snapshot {header.Snapshot.Index}) does not continue the log before it (next batch {NextBatchSequence}, last index {State.LastIndex}, snapshot {State.Snapshot.Index}); a batch at the end of the previous segment is missing");
        }
    }

    private void DeleteUnfinishedPreparations()
    {
        foreach (string path in Directory.EnumerateFiles(_directory, "*" + WalSegmentFiles.PreparingExtension))
        {
            File.Delete(path);
            Report.DeletedFiles.Add(path);
        }
    }

    /// <summary>
    /// Segments before a gap in the sequence numbers were released (their deletion reached the disk out of
    /// order, or was interrupted). The replay proved that the snapshot covers everything they held.
    /// </summary>
    private void DeleteReleasedLeftovers(List<(ulong Sequence, string Path)> files, int chainStart)
    {
        for (int position = 0; position < chainStart; position++)
        {
            File.Delete(files[position].Path);
            Report.DeletedFiles.Add(files[position].Path);
        }

        if (Report.DeletedFiles.Count > 0)
        {
            DurableFile.SyncDirectory(_directory);
            _options.Log?.Invoke($"WAL: deleted {Report.DeletedFiles.Count} leftover files: {string.Join(", ", Report.DeletedFiles)}");
        }
    }
}
