namespace Cairn.Storage.Mvcc;

/// <summary>Configuration of an <see cref="MvccStore"/>. Every limit is named and has etcd's default where etcd has one.</summary>
public sealed class MvccOptions
{
    /// <summary>Directory for the value-log segment files (e.g. <c>&lt;data-dir&gt;/values</c>). Its <c>*.vlog</c>
    /// files are deleted on open: they are rebuilt from the snapshot and the WAL.</summary>
    public required string ValueDirectory { get; init; }

    /// <summary>Size of one value-log segment file (sparse; allocated as values arrive).</summary>
    public long ValueSegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Staging buffer for value appends; values of one applied request are written with one syscall.</summary>
    public int ValueWriteBufferBytes { get; init; } = 256 * 1024;

    /// <summary>Maximum entries in each of a txn's compare, success and failure lists (etcd <c>--max-txn-ops</c>).</summary>
    public int MaxTxnOps { get; init; } = 128;

    /// <summary>Keys visited per maintenance step (physical compaction, value-space compaction), so that
    /// maintenance interleaves with applies instead of stalling them.</summary>
    public int MaintenanceBatchKeys { get; init; } = 10_000;

    /// <summary>A value space whose garbage (bytes no live record refers to) reaches this fraction is compacted:
    /// its live values are copied to the active segment and the file is released.</summary>
    public double ValueSpaceGarbageRatio { get; init; } = 0.5;

    /// <summary>Checks the options and throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ValueDirectory))
        {
            throw new ArgumentException("MvccOptions.ValueDirectory must name a directory for the value files.");
        }

        if (ValueSegmentBytes < 4096 || ValueWriteBufferBytes < 4096 || MaxTxnOps < 1 || MaintenanceBatchKeys < 1)
        {
            throw new ArgumentException(
                "MvccOptions: ValueSegmentBytes and ValueWriteBufferBytes must be >= 4096, MaxTxnOps and MaintenanceBatchKeys >= 1.");
        }

        if (ValueSpaceGarbageRatio is <= 0 or > 1)
        {
            throw new ArgumentException("MvccOptions.ValueSpaceGarbageRatio must be in (0, 1].");
        }
    }
}
