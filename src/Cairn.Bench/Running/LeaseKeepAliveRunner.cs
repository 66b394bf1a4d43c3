using System.Diagnostics;
using Cairn.Bench.Grpc;
using Cairn.Bench.Hpack;
using Cairn.Bench.Http2;
using Cairn.Bench.Stats;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Bench.Running;

/// <summary>
/// <c>bench lease-keepalive</c>: each client grants a lease, opens one keep-alive stream (as clientv3's KeepAlive
/// does) and sends keep-alives one at a time; a request is one keep-alive round trip. etcd's benchmark uses
/// KeepAliveOnce, which opens a new stream per request; one stream per client is what real clients do.
/// </summary>
internal static class LeaseKeepAliveRunner
{
    /// <summary>The TTL of the granted leases, as etcd's benchmark.</summary>
    public const long LeaseTtlSeconds = 100;

    public static async Task<BenchReport> RunAsync(BenchSettings settings, CancellationToken cancellationToken = default)
    {
        using LeanGrpcChannel channel = await UnaryRunner.ConnectLeanAsync(settings, cancellationToken).ConfigureAwait(false);
        var leases = new long[settings.Clients];
        for (int c = 0; c < leases.Length; c++)
        {
            leases[c] = await GrantAsync(channel, channel[c % channel.Count]).ConfigureAwait(false);
        }

        double cpuBefore = ProcStat.SelfCpuSeconds();
        long started = Stopwatch.GetTimestamp();
        var state = new UnaryRunState(settings.Total, settings.Rate > 0 ? new RateLimiter(settings.Rate, started) : null);
        var clients = new Task[settings.Clients];
        using (ProgressBar.Start("lease-keepalive", settings.Total, () => state.Completed, settings.ShowProgress))
        {
            for (int c = 0; c < clients.Length; c++)
            {
                clients[c] = RunClientAsync(channel, channel[c % channel.Count], leases[c], state);
            }

            await Task.WhenAll(clients).ConfigureAwait(false);
            await Task.Yield();
        }

        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        double cpuSeconds = ProcStat.SelfCpuSeconds() - cpuBefore;
        long neverSent = settings.Total - state.Completed;
        state.Errors.Add("not sent: every keep-alive stream had failed", neverSent);
        for (int c = 0; c < leases.Length; c++)
        {
            await RevokeAsync(channel, channel[c % channel.Count], leases[c]).ConfigureAwait(false);
        }

        LatencySummary latency = LatencySummary.Compute(state.Latencies.SortedSeconds(), seconds);
        return new BenchReport
        {
            Workload = "lease-keepalive",
            Parameters = [.. settings.ReportParameters(), ("ttl", LeaseTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Attempted = settings.Total,
            Latency = latency,
            Errors = state.Errors.Snapshot(),
            ClientCpuMicrosPerRequest = latency.Count > 0 ? cpuSeconds * 1e6 / latency.Count : 0,
        };
    }

    private static async Task RunClientAsync(LeanGrpcChannel channel, Http2Connection connection, long leaseId, UnaryRunState state)
    {
        await Task.Yield();
        Http2Stream stream = connection.StartStreaming(channel.HeadersFor(connection, EtcdMethods.Lease.LeaseKeepAlive));
        byte[] request = new LeaseKeepAliveRequest { ID = leaseId }.ToByteArray();
        bool checkedOne = false;
        while (state.TryTakeNext(out long index))
        {
            if (state.Rate is { } rate)
            {
                await rate.WaitTurnAsync(index).ConfigureAwait(false);
            }

            long start = Stopwatch.GetTimestamp();
            if (!connection.SendMessage(stream, request) || !await stream.WaitForMessageAsync().ConfigureAwait(false) || !stream.TryReadMessage(out byte[] answer))
            {
                state.Errors.Add(stream.Ended ? stream.Status : GrpcStatusCode.Unavailable, "keep-alive stream: " + stream.StatusMessage);
                state.MarkCompleted();
                break;
            }

            long end = Stopwatch.GetTimestamp();
            if (!checkedOne && LeaseKeepAliveResponse.Parser.ParseFrom(answer) is var response && (response.ID != leaseId || response.TTL <= 0))
            {
                state.Errors.Add($"unexpected keep-alive answer: lease {response.ID}, TTL {response.TTL}");
            }
            else
            {
                state.Latencies.Record(index, end - start);
            }

            checkedOne = true;
            state.MarkCompleted();
        }

        // Not released for reuse: this code can run inline on the connection's read loop, inside the delivery of the
        // last message, and the read loop still uses the stream after that delivery returns (partial message buffer,
        // flow-control credit); resetting it there corrupted the read loop and hung the run. One stream per client.
        connection.Cancel(stream);
        await stream.WaitAsync();
    }

    private static async Task<long> GrantAsync(LeanGrpcChannel channel, Http2Connection connection)
    {
        byte[] request = new LeaseGrantRequest { TTL = LeaseTtlSeconds }.ToByteArray();
        Http2Stream call = connection.StartUnary(channel.HeadersFor(connection, EtcdMethods.Lease.LeaseGrant), request);
        await call.WaitAsync();
        try
        {
            if (call.Status != GrpcStatusCode.OK)
            {
                throw new BenchException($"cannot grant a lease: {RpcException.FormatGoError(call.Status, call.StatusMessage)}");
            }

            return LeaseGrantResponse.Parser.ParseFrom(call.ResponseMessage).ID;
        }
        finally
        {
            connection.Release(call);
        }
    }

    private static async Task RevokeAsync(LeanGrpcChannel channel, Http2Connection connection, long leaseId)
    {
        // Best effort: leases left behind expire after their TTL anyway.
        byte[] request = new LeaseRevokeRequest { ID = leaseId }.ToByteArray();
        Http2Stream call = connection.StartUnary(channel.HeadersFor(connection, EtcdMethods.Lease.LeaseRevoke), request);
        await call.WaitAsync();
        connection.Release(call);
    }
}
