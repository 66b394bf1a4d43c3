namespace Cairn.Storage.Wal;

/// <summary>Configuration of a <see cref="WriteAheadLog"/>. Every queue, batch and buffer has a named limit here.</summary>
public sealed class WalOptions
{
    /// <summary>Default segment file size: 64 MiB.</summary>
    public const int DefaultSegmentBytes = 64 * 1024 * 1024;

    /// <summary>Smallest allowed segment size (small segments are for tests).</summary>
    public const int MinSegmentBytes = 16 * 1024;

    /// <summary>Largest allowed segment size: record offsets are 32-bit and spans are int-sized.</summary>
    public const int MaxSegmentBytes = 1024 * 1024 * 1024;

    /// <summary>Bytes of a batch that are not entry data in the worst case: batch header, one entry header, a hard state, a marker, padding.</summary>
    public const int BatchOverheadBytes = 256;

    /// <summary>Size of each segment file (a multiple of 4096). Fixed per segment; changing it affects new segments only.</summary>
    public int SegmentBytes { get; init; } = DefaultSegmentBytes;

    /// <summary>
    /// Most bytes one batch (the unit made durable by one sync) may hold. Also bounds the torn tail after a
    /// crash. An entry's data may be at most <c>MaxBatchBytes - BatchOverheadBytes</c> bytes.
    /// </summary>
    public int MaxBatchBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Most records (entries, hard states) one batch may hold.</summary>
    public int MaxBatchRecords { get; init; } = 16 * 1024;

    /// <summary>
    /// Most asynchronous appends that may be queued or in flight at once. Further callers wait for room
    /// (backpressure) instead of growing the queue without bound.
    /// </summary>
    public int MaxQueuedAppends { get; init; } = 16 * 1024;

    /// <summary>How batches are made durable.</summary>
    public WalSyncMethod SyncMethod { get; init; } = WalSyncMethod.Fdatasync;

    /// <summary>Called after every batch sync with how long it took (the WAL fsync histogram of /metrics); runs on
    /// the writer thread, so it must be cheap and thread-safe. Null to observe nothing.</summary>
    public Action<TimeSpan>? SyncObserver { get; init; }

    /// <summary>How new segment files reserve their space.</summary>
    public WalPreallocation Preallocation { get; init; } = WalPreallocation.Fallocate;

    /// <summary>
    /// How many bytes behind the write position stay mapped in this process. Older, already synced pages of
    /// the segment being written are unmapped (madvise MADV_DONTNEED) in steps of <see cref="ResidentReleaseStepBytes"/>,
    /// so the WAL's resident memory stays near this window instead of growing to the segment size.
    /// -1 keeps everything mapped.
    /// </summary>
    public int ResidentWindowBytes { get; init; } = 1024 * 1024;

    /// <summary>The granularity of unmapping old pages (one madvise call per this many bytes written).</summary>
    public int ResidentReleaseStepBytes { get; init; } = 1024 * 1024;

    /// <summary>Prepare the next segment file on a background thread, so a rollover does not wait for preallocation.</summary>
    public bool PrepareSegmentsInBackground { get; init; } = true;

    /// <summary>Receives warnings and notable events (torn tail repaired, leftover files deleted). Null: silent.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The largest entry data length an append may carry.</summary>
    public int MaxEntryDataBytes => MaxBatchBytes - BatchOverheadBytes;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (SegmentBytes < MinSegmentBytes || SegmentBytes > MaxSegmentBytes || SegmentBytes % 4096 != 0)
        {
            throw new ArgumentException($"WAL segment size {SegmentBytes} must be a multiple of 4096 between {MinSegmentBytes} and {MaxSegmentBytes} bytes", nameof(SegmentBytes));
        }

        int usableBytes = SegmentBytes - WalFormat.SegmentHeaderBytes;
        if (MaxBatchBytes < 2 * BatchOverheadBytes || MaxBatchBytes > usableBytes)
        {
            throw new ArgumentException($"WAL max batch size {MaxBatchBytes} must be between {2 * BatchOverheadBytes} bytes and the segment's usable size ({usableBytes} bytes)", nameof(MaxBatchBytes));
        }

        if (MaxBatchBytes % WalFormat.RecordAlignment != 0)
        {
            throw new ArgumentException($"WAL max batch size {MaxBatchBytes} must be a multiple of {WalFormat.RecordAlignment}", nameof(MaxBatchBytes));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchRecords, 2, nameof(MaxBatchRecords));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedAppends, 1, nameof(MaxQueuedAppends));
        ArgumentOutOfRangeException.ThrowIfLessThan(ResidentWindowBytes, -1, nameof(ResidentWindowBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(ResidentReleaseStepBytes, 4096, nameof(ResidentReleaseStepBytes));
        if (!Enum.IsDefined(SyncMethod) || !Enum.IsDefined(Preallocation))
        {
            throw new ArgumentException("unknown WAL sync method or preallocation mode");
        }
    }
}
