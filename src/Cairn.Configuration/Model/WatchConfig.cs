namespace Cairn.Configuration;

/// <summary>Watch behaviour.</summary>
public sealed record WatchConfig
{
    /// <summary>
    /// Interval of progress notifications to watchers that asked for them (etcd
    /// <c>--experimental-watch-progress-notify-interval</c>, default 10 minutes).
    /// </summary>
    public int ProgressNotifyIntervalMs { get; init; } = 600_000;
}
