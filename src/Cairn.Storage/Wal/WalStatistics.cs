namespace Cairn.Storage.Wal;

/// <summary>Counters of a <see cref="WriteAheadLog"/> since it was opened (for metrics and tests).</summary>
/// <param name="Syncs">fdatasync/msync calls made for batches.</param>
/// <param name="Batches">Batches written.</param>
/// <param name="Records">Records written (entries, hard states, markers).</param>
/// <param name="BytesWritten">Bytes written into segments, batch headers and padding included.</param>
/// <param name="SegmentsCreated">Segments started.</param>
/// <param name="SegmentsReleased">Segments deleted after a snapshot.</param>
/// <param name="SyncMicrosecondsTotal">Total time spent in batch syncs.</param>
public readonly record struct WalStatistics(
    long Syncs,
    long Batches,
    long Records,
    long BytesWritten,
    long SegmentsCreated,
    long SegmentsReleased,
    long SyncMicrosecondsTotal);
