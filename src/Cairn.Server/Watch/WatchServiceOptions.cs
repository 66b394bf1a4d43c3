using Cairn.Server.Grpc;

namespace Cairn.Server.Watch;

/// <summary>Limits and timings of the watch service (etcd reference §4.7). Every queue a client can fill has a bound here.</summary>
public sealed class WatchServiceOptions
{
    /// <summary>The shortest progress-notify interval etcd accepts (<c>--experimental-watch-progress-notify-interval</c>).</summary>
    public static readonly TimeSpan MinProgressNotifyInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a watcher created with <c>progress_notify</c> hears the current revision when it received no
    /// events in the meantime. etcd's default is 10 minutes; each stream adds up to 10 % jitter as etcd does.</summary>
    public TimeSpan ProgressNotifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>etcd's <c>--max-request-bytes</c>; a response to a <c>fragment=true</c> watcher larger than this plus
    /// 512 KiB is split into several responses.</summary>
    public int MaxRequestBytes { get; init; } = GrpcServerOptions.DefaultMaxRequestBytes;

    /// <summary>Events taken from one watcher per response (whole revisions: one revision is never split, so a
    /// single large revision may exceed it).</summary>
    public int MaxEventsPerResponse { get; init; } = 1000;

    /// <summary>Requests (create, cancel, progress) read from a stream but not yet handled. When full, the stream's
    /// reader waits, which pushes back on the client through HTTP/2 flow control.</summary>
    public int MaxPendingRequestsPerStream { get; init; } = 128;

    /// <summary>Watchers one stream may hold. Past it a create is answered with created+canceled (etcd has no such
    /// limit; it bounds the memory one client can pin).</summary>
    public int MaxWatchersPerStream { get; init; } = 100_000;

    /// <summary>Bytes of responses buffered before the stream writer flushes them to the connection in the middle of a
    /// pass; everything buffered is flushed at the end of each pass anyway.</summary>
    public int FlushThresholdBytes { get; init; } = 256 * 1024;

    /// <summary>How often a stream opened with <c>hasleader: true</c> checks that the member has a leader (etcd checks
    /// once per election timeout).</summary>
    public TimeSpan LeaderCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive leaderless checks after which such a stream ends with Unavailable <c>etcdserver: no
    /// leader</c> (etcd: 3).</summary>
    public int LeaderlessChecksBeforeCancel { get; init; } = 3;

    /// <summary>The response size above which a <c>fragment=true</c> response is split: max-request-bytes + 512 KiB.</summary>
    public int FragmentThresholdBytes => GrpcServerOptions.ReceiveLimitFor(MaxRequestBytes);

    /// <summary>Checks the options and throws <see cref="ArgumentException"/> naming the bad one and the accepted values.</summary>
    public void Validate()
    {
        if (ProgressNotifyInterval < MinProgressNotifyInterval)
        {
            throw new ArgumentException(
                $"the watch progress-notify interval is {ProgressNotifyInterval.TotalMilliseconds} ms; it must be at least {MinProgressNotifyInterval.TotalMilliseconds} ms");
        }

        if (MaxRequestBytes < 1 || MaxEventsPerResponse < 1 || MaxPendingRequestsPerStream < 1 || MaxWatchersPerStream < 1
            || FlushThresholdBytes < 1 || LeaderlessChecksBeforeCancel < 1 || LeaderCheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                "WatchServiceOptions: MaxRequestBytes, MaxEventsPerResponse, MaxPendingRequestsPerStream, MaxWatchersPerStream, "
                + "FlushThresholdBytes and LeaderlessChecksBeforeCancel must be at least 1, and LeaderCheckInterval positive");
        }
    }
}
