namespace Cairn.Configuration;

/// <summary>Write-ahead log, snapshots, backend quota and automatic compaction.</summary>
public sealed record StorageConfig
{
    /// <summary>Dedicated WAL directory (e.g. on a faster disk); empty means <c>wal</c> under the data directory.</summary>
    public string WalDir { get; init; } = "";

    /// <summary>Size of each preallocated WAL segment file.</summary>
    public long WalSegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Applied entries between snapshots (after which older WAL segments can be released).</summary>
    public long SnapshotCount { get; init; } = 100_000;

    /// <summary>Snapshot files to keep; 0 keeps all.</summary>
    public int MaxSnapshots { get; init; } = 5;

    /// <summary>Released WAL segment files to keep; 0 keeps all.</summary>
    public int MaxWalFiles { get; init; } = 5;

    /// <summary>Backend size at which the NOSPACE alarm is raised and writes are refused.</summary>
    public long QuotaBackendBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>How <see cref="AutoCompactionRetention"/> is read: a time period or a revision count.</summary>
    public AutoCompactionMode AutoCompactionMode { get; init; } = AutoCompactionMode.Periodic;

    /// <summary>
    /// etcd's retention text: a duration ("1h", "30m"; a bare number means hours) in periodic mode, a revision
    /// count in revision mode; "0" disables automatic compaction. Validated against the mode when loaded.
    /// </summary>
    public string AutoCompactionRetention { get; init; } = "0";

    /// <summary>True when automatic compaction is on.</summary>
    public bool AutoCompactionEnabled => AutoCompactionMode == AutoCompactionMode.Periodic
        ? AutoCompactionPeriod > TimeSpan.Zero
        : AutoCompactionRevisions > 0;

    /// <summary>The retention period in periodic mode (zero when off or in revision mode).</summary>
    public TimeSpan AutoCompactionPeriod =>
        AutoCompactionMode == AutoCompactionMode.Periodic && ConfigDurations.TryParseRetentionPeriod(AutoCompactionRetention, out TimeSpan period)
            ? period
            : TimeSpan.Zero;

    /// <summary>The number of revisions to keep in revision mode (zero when off or in periodic mode).</summary>
    public long AutoCompactionRevisions =>
        AutoCompactionMode == AutoCompactionMode.Revision && long.TryParse(AutoCompactionRetention, out long revisions)
            ? revisions
            : 0;
}

/// <summary>etcd's <c>--auto-compaction-mode</c>.</summary>
public enum AutoCompactionMode
{
    /// <summary>Keep history for a time period.</summary>
    Periodic,

    /// <summary>Keep a number of revisions.</summary>
    Revision,
}
