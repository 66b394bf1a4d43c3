using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Cairn.Bench.Grpc;
using Cairn.Bench.Http2;
using Cairn.Bench.Stats;
using Cairn.Bench.Workloads;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Bench.Running;

/// <summary>
/// <c>bench watch</c>: opens the watch streams (over <c>--conns</c> connections) and creates every watcher, then one
/// writer on its own connection puts to the watched keys while readers time each event. The run ends when every
/// expected event has arrived, or <c>--event-timeout</c> after the last put (missing events are errors).
/// </summary>
internal static class WatchRunner
{
    public static async Task<BenchReport> RunAsync(WatchSettings watch, BenchSettings settings, CancellationToken cancellationToken = default)
    {
        byte[][] keys = MakeKeys(watch);
        var sink = new WatchEventSink(watch.PutTotal, watch.ExpectedEvents());
        using LeanGrpcChannel watchChannel = await UnaryRunner.ConnectLeanAsync(settings with { Connections = Math.Min(settings.Connections, watch.Streams) }, cancellationToken).ConfigureAwait(false);
        using LeanGrpcChannel writerChannel = await UnaryRunner.ConnectLeanAsync(settings with { Connections = 1 }, cancellationToken).ConfigureAwait(false);
        List<Http2Stream> streams = await OpenWatchersAsync(watchChannel, watch, keys, settings.DialTimeout, cancellationToken).ConfigureAwait(false);
        var stopping = new StrongBox(false);
        Task[] readers = streams.Select(stream => ReadEventsAsync(stream, sink, stopping)).ToArray();
        double cpuBefore = ProcStat.SelfCpuSeconds();
        long started = Stopwatch.GetTimestamp();
        LatencyRecorder putLatencies;
        var putErrors = new ErrorCounter();
        using (ProgressBar.Start("watch events", watch.ExpectedEvents(), () => sink.Received, settings.ShowProgress))
        {
            putLatencies = await WriteAsync(writerChannel, watch, keys, sink, putErrors, started, cancellationToken).ConfigureAwait(false);
            await Task.WhenAny(sink.AllReceived, Task.Delay(watch.EventTimeout, cancellationToken)).ConfigureAwait(false);
        }

        double cpuSeconds = ProcStat.SelfCpuSeconds() - cpuBefore;
        long writerDoneTicks = Stopwatch.GetTimestamp();
        stopping.Value = true;
        foreach (Http2Stream stream in streams)
        {
            stream.Owner.Cancel(stream);
        }

        await Task.WhenAll(readers).ConfigureAwait(false);
        return BuildReport(watch, settings, sink, putLatencies, putErrors, started, writerDoneTicks, cpuSeconds);
    }

    private static byte[][] MakeKeys(WatchSettings watch)
    {
        var keys = new byte[watch.WatchedKeys][];
        for (int k = 0; k < keys.Length; k++)
        {
            keys[k] = new byte[watch.KeySize];
            BenchKeys.Write(k, keys[k]);
        }

        return keys;
    }

    private static async Task<List<Http2Stream>> OpenWatchersAsync(LeanGrpcChannel channel, WatchSettings watch, byte[][] keys, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var streams = new List<Http2Stream>();
        var creations = new List<Task>();
        for (int s = 0; s < watch.Streams; s++)
        {
            Http2Connection connection = channel[s % channel.Count];
            Http2Stream stream = connection.StartStreaming(channel.HeadersFor(connection, EtcdMethods.Watch.WatchMethod));
            streams.Add(stream);
            for (int w = 0; w < watch.WatchersPerStream; w++)
            {
                byte[] key = keys[((s * watch.WatchersPerStream) + w) % keys.Length];
                var create = new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFrom(key) } };
                connection.SendMessage(stream, create.ToByteArray());
            }

            creations.Add(AwaitCreatedAsync(stream, watch.WatchersPerStream, cancellationToken));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task all = Task.WhenAll(creations);
        if (await Task.WhenAny(all, Task.Delay(timeout + TimeSpan.FromSeconds(30), deadline.Token)).ConfigureAwait(false) != all)
        {
            streams.ForEach(stream => stream.Owner.Cancel(stream));
            throw new BenchException($"the server did not confirm all {watch.Streams * watch.WatchersPerStream} watchers in time");
        }

        await all.ConfigureAwait(false); // rethrows a refusal
        return streams;
    }

    private static async Task AwaitCreatedAsync(Http2Stream stream, int watchers, CancellationToken cancellationToken)
    {
        int created = 0;
        while (created < watchers)
        {
            if (!await stream.WaitForMessageAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new BenchException($"a watch stream ended while creating watchers: {RpcException.FormatGoError(stream.Status, stream.StatusMessage)}");
            }

            while (created < watchers && stream.TryReadMessage(out byte[] message))
            {
                WatchResponse response = WatchResponse.Parser.ParseFrom(message);
                if (response.Canceled)
                {
                    throw new BenchException($"the server refused a watcher: {response.CancelReason}");
                }

                created += response.Created ? 1 : 0;
            }
        }
    }

    private static async Task ReadEventsAsync(Http2Stream stream, WatchEventSink sink, StrongBox stopping)
    {
        while (await stream.WaitForMessageAsync().ConfigureAwait(false))
        {
            while (stream.TryReadMessage(out byte[] message))
            {
                sink.OnResponse(WatchResponse.Parser.ParseFrom(message));
            }
        }

        if (!stopping.Value)
        {
            sink.Errors.Add(stream.Status, "watch stream ended early: " + stream.StatusMessage);
        }
    }

    private static async Task<LatencyRecorder> WriteAsync(LeanGrpcChannel channel, WatchSettings watch, byte[][] keys, WatchEventSink sink,
        ErrorCounter errors, long started, CancellationToken cancellationToken)
    {
        var latencies = new LatencyRecorder(watch.PutTotal);
        RateLimiter? rate = watch.PutRate > 0 ? new RateLimiter(watch.PutRate, started) : null;
        Http2Connection connection = channel[0];
        var headers = channel.HeadersFor(connection, EtcdMethods.KV.Put);
        byte[] value = BenchKeys.Value(watch.ValueSize);
        for (long put = 0; put < watch.PutTotal; put++)
        {
            if (rate is not null)
            {
                await rate.WaitTurnAsync(put, cancellationToken).ConfigureAwait(false);
            }

            BinaryPrimitives.WriteInt64BigEndian(value, put);
            int key = (int)(put % keys.Length);
            byte[] request = new PutRequest { Key = UnsafeByteOperations.UnsafeWrap(keys[key]), Value = UnsafeByteOperations.UnsafeWrap(value) }.ToByteArray();
            sink.PutSent(put);
            long start = Stopwatch.GetTimestamp();
            Http2Stream call = connection.StartUnary(headers, request);
            await call.WaitAsync();
            long end = Stopwatch.GetTimestamp();
            if (call.Status == GrpcStatusCode.OK)
            {
                sink.PutAcked(put, end);
                latencies.Record(put, end - start);
            }
            else
            {
                errors.Add(call.Status, "put: " + call.StatusMessage);
                sink.PutFailed(watch.WatchersOnKey(key));
            }

            connection.Release(call);
        }

        return latencies;
    }

    private static BenchReport BuildReport(WatchSettings watch, BenchSettings settings, WatchEventSink sink, LatencyRecorder putLatencies,
        ErrorCounter putErrors, long started, long endedTicks, double cpuSeconds)
    {
        long expected = watch.ExpectedEvents();
        long received = sink.Received;
        double eventSeconds = (Math.Max(sink.LastEventTicks, started) - started) / (double)Stopwatch.Frequency;
        LatencySummary events = LatencySummary.Compute(sink.EventLatencies.SortedSeconds(), eventSeconds);
        LatencySummary puts = LatencySummary.Compute(putLatencies.SortedSeconds(), (endedTicks - started) / (double)Stopwatch.Frequency);
        LatencySummary afterAck = LatencySummary.Compute(sink.AfterAckDelays.SortedSeconds(), eventSeconds);
        var errors = new ErrorCounter();
        foreach (var (error, count) in putErrors.Snapshot().Concat(sink.Errors.Snapshot()))
        {
            errors.Add(error, count);
        }

        long putFailures = putErrors.Total;
        errors.Add($"watch events missing after --event-timeout {watch.EventTimeout.TotalSeconds:0.###}s", Math.Max(0, expected - received - LostToFailedPuts(watch, putFailures)));
        var inv = CultureInfo.InvariantCulture;
        return new BenchReport
        {
            Workload = "watch",
            Parameters =
            [
                ("endpoints", string.Join(',', settings.Endpoints)), ("conns", settings.Connections.ToString(inv)),
                ("streams", watch.Streams.ToString(inv)), ("watch-per-stream", watch.WatchersPerStream.ToString(inv)),
                ("watched-key-total", watch.WatchedKeys.ToString(inv)), ("put-total", watch.PutTotal.ToString(inv)),
                ("put-rate", watch.PutRate.ToString(inv)), ("key-size", watch.KeySize.ToString(inv)), ("val-size", watch.ValueSize.ToString(inv)),
            ],
            Attempted = expected,
            Latency = events,
            Errors = errors.Snapshot(),
            ClientCpuMicrosPerRequest = received > 0 ? cpuSeconds * 1e6 / received : 0,
            ExtraLatencies = [("Put latency (the writer)", puts), ("Event delay after the put's acknowledgement", afterAck)],
            Figures =
            [
                ("Events expected", expected), ("Events received", received), ("Events before their put's ack", sink.BeforeAck),
                ("Puts/sec", puts.RequestsPerSecond),
            ],
        };
    }

    // Failed puts produce no events; their watchers' share is not "missing". Approximated by the average fan-out.
    private static long LostToFailedPuts(WatchSettings watch, long failedPuts) =>
        watch.PutTotal == 0 ? 0 : failedPuts * watch.ExpectedEvents() / watch.PutTotal;

    private sealed class StrongBox(bool value)
    {
        public volatile bool Value = value;
    }
}
