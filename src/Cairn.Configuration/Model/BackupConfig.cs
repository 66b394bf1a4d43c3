namespace Cairn.Configuration;

/// <summary>Backups taken by <c>cairn backup run</c>: where they go, how often, and how many are kept.</summary>
public sealed record BackupConfig
{
    /// <summary>Where backups are written; every destination receives every backup.</summary>
    public IReadOnlyList<BackupDestination> Destinations { get; init; } = [];

    /// <summary>Interval of the built-in schedule; null means no built-in schedule (use the systemd timer).</summary>
    public TimeSpan? Schedule { get; init; }

    /// <summary>Backups to keep per destination; 0 keeps all (subject to <see cref="RetentionMaxAge"/>).</summary>
    public int RetentionCount { get; init; } = 7;

    /// <summary>Backups older than this are deleted; null means no age limit.</summary>
    public TimeSpan? RetentionMaxAge { get; init; }
}

/// <summary>A backup destination: a local directory or an S3-compatible bucket.</summary>
public sealed record BackupDestination
{
    /// <summary><c>file:///path</c> (or an absolute path) for a local directory, <c>s3://bucket/prefix</c> for S3.</summary>
    public required Uri Url { get; init; }

    /// <summary>S3 endpoint for S3-compatible stores (e.g. MinIO); empty means AWS's endpoint for <see cref="Region"/>.</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>S3 region.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>File with the S3 access key id and secret key (AWS shared-credentials format); S3 only.</summary>
    public string CredentialsFile { get; init; } = "";

    /// <summary>True for a local directory destination.</summary>
    public bool IsLocal => Url.IsFile;

    /// <summary>True for an S3 destination.</summary>
    public bool IsS3 => Url.Scheme == "s3";
}
