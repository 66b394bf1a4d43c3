using System.CommandLine;
using Cairn.Bench.Running;
using Cairn.Bench.Workloads;

namespace Cairn.Bench.Cli;

/// <summary>The streaming workload verbs: <c>watch</c> and <c>lease-keepalive</c>.</summary>
internal static class StreamCommands
{
    public static Command Watch(GlobalOptions globals)
    {
        var streams = OptionFactory.Int("--streams", "Total watch streams", 10, 1, 100_000);
        var perStream = OptionFactory.Int("--watch-per-stream", "Watchers per stream", 100, 1, 1_000_000);
        var keys = OptionFactory.Int("--watched-key-total", "Number of keys watched (watcher j watches key j mod this)", 1, 1, 10_000_000);
        var putTotal = OptionFactory.Long("--put-total", "Number of puts to the watched keys", 1000, 1, 100_000_000);
        var putRate = OptionFactory.Int("--put-rate", "Puts per second (0 = each put right after the previous one's ack)", 0, 0);
        var keySize = OptionFactory.Int("--key-size", "Key size of the watched keys", 32, 1, 1024 * 1024);
        var valueSize = OptionFactory.Int("--val-size", "Value size of the puts (at least 8: the put's number)", WatchSettings.MinValueSize, WatchSettings.MinValueSize, 64 * 1024 * 1024);
        var timeout = OptionFactory.Duration("--event-timeout", "How long to wait for the last events after the last put", TimeSpan.FromSeconds(30));
        var command = new Command("watch",
            "Benchmark watch: event latency (put sent → event received) and event throughput with many watchers")
        { streams, perStream, keys, putTotal, putRate, keySize, valueSize, timeout };
        command.SetAction((parsed, cancel) =>
        {
            var watch = new WatchSettings(parsed.GetValue(streams), parsed.GetValue(perStream), parsed.GetValue(keys), parsed.GetValue(putTotal),
                parsed.GetValue(putRate), parsed.GetValue(keySize), parsed.GetValue(valueSize), parsed.GetValue(timeout));
            if (Validate(watch) is { } problem)
            {
                return Task.FromResult(BenchRun.UsageError(parsed, problem));
            }

            return BenchRun.ExecuteAsync(parsed, globals, (settings, ct) => WatchRunner.RunAsync(watch, settings, ct), cancel);
        });
        return command;
    }

    private static string? Validate(WatchSettings watch)
    {
        if (BenchKeys.Validate(watch.KeySize, watch.WatchedKeys) is { } problem)
        {
            return problem;
        }

        long events = watch.ExpectedEvents();
        return events > Stats.LatencyRecorder.MaxRecordedRequests
            ? $"the run would produce {events} watch events; at most {Stats.LatencyRecorder.MaxRecordedRequests} can be recorded (lower --put-total or the watchers)"
            : null;
    }

    public static Command LeaseKeepAlive(GlobalOptions globals)
    {
        var command = new Command("lease-keepalive", "Benchmark lease keep-alive (one lease and one keep-alive stream per client)");
        command.SetAction((parsed, cancel) => BenchRun.ExecuteAsync(parsed, globals, LeaseKeepAliveRunner.RunAsync, cancel));
        return command;
    }
}
