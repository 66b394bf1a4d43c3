using System.Diagnostics;
using Cairn.Bench.Grpc;
using Cairn.Bench.Hpack;
using Cairn.Bench.Http2;
using Cairn.Bench.Stats;
using Cairn.Bench.Workloads;
using Cairn.Client;
using Cairn.Protocol.Grpc;

namespace Cairn.Bench.Running;

/// <summary>
/// Runs a unary workload: <c>--clients</c> concurrent loops, client <c>i</c> on connection <c>i mod --conns</c>, each
/// taking the next request number until <c>--total</c> are done. Connections are opened before the clock starts.
/// </summary>
internal static class UnaryRunner
{
    /// <summary>Runs <paramref name="workload"/> and summarizes it.</summary>
    /// <exception cref="BenchException">The servers cannot be reached.</exception>
    public static async Task<BenchReport> RunAsync(UnaryWorkload workload, BenchSettings settings, CancellationToken cancellationToken = default)
    {
        Func<UnaryRunState, Task[]> startClients;
        IDisposable transport;
        if (settings.Transport == BenchTransport.Lean)
        {
            LeanGrpcChannel channel = await ConnectLeanAsync(settings, cancellationToken).ConfigureAwait(false);
            transport = channel;
            startClients = s => StartClients(settings.Clients, i => RunLeanClientAsync(channel, i, workload, s));
        }
        else
        {
            EtcdClient[] clients = await ConnectCairnClientsAsync(settings).ConfigureAwait(false);
            transport = new Disposables(clients);
            startClients = s => StartClients(settings.Clients, i => RunCairnClientAsync(clients[i % clients.Length], workload, s));
        }

        using (transport)
        {
            return await MeasureAsync(workload, settings, startClients).ConfigureAwait(false);
        }
    }

    private static async Task<BenchReport> MeasureAsync(UnaryWorkload workload, BenchSettings settings, Func<UnaryRunState, Task[]> startClients)
    {
        double cpuBefore = ProcStat.SelfCpuSeconds();
        long started = Stopwatch.GetTimestamp();
        var state = new UnaryRunState(settings.Total, settings.Rate > 0 ? new RateLimiter(settings.Rate, started) : null);
        using (ProgressBar.Start(workload.Name, settings.Total, () => state.Completed, settings.ShowProgress))
        {
            // The last client finishes on a connection's read loop; continue on the pool, not there.
            await Task.WhenAll(startClients(state)).ConfigureAwait(false);
            await Task.Yield();
        }

        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        double cpuSeconds = ProcStat.SelfCpuSeconds() - cpuBefore;
        LatencySummary latency = LatencySummary.Compute(state.Latencies.SortedSeconds(), seconds);
        return new BenchReport
        {
            Workload = workload.Name,
            Parameters = [.. settings.ReportParameters(), .. workload.Parameters],
            Attempted = settings.Total,
            Latency = latency,
            Errors = state.Errors.Snapshot(),
            ClientCpuMicrosPerRequest = latency.Count > 0 ? cpuSeconds * 1e6 / latency.Count : 0,
        };
    }

    private static Task[] StartClients(int clients, Func<int, Task> run)
    {
        var tasks = new Task[clients];
        for (int i = 0; i < clients; i++)
        {
            tasks[i] = run(i);
        }

        return tasks;
    }

    private static async Task RunLeanClientAsync(LeanGrpcChannel channel, int clientIndex, UnaryWorkload workload, UnaryRunState state)
    {
        await Task.Yield(); // start every client before any runs
        Http2Connection connection = channel[clientIndex % channel.Count];
        HpackHeaderList headers = channel.HeadersFor(connection, workload.Path);
        byte[] request = new byte[workload.MaxRequestBytes];
        bool checkedOne = false;
        while (state.TryTakeNext(out long index))
        {
            if (state.Rate is { } rate)
            {
                await rate.WaitTurnAsync(index).ConfigureAwait(false);
            }

            int length = workload.WriteRequest(index, request);
            long start = Stopwatch.GetTimestamp();
            Http2Stream call = connection.StartUnary(headers, request.AsSpan(0, length));
            await call.WaitAsync();
            long end = Stopwatch.GetTimestamp();
            string? wrongAnswer = null;
            if (call.Status == GrpcStatusCode.OK && !checkedOne)
            {
                // The first answer of each client is parsed and checked; parsing every one would cost the client CPU.
                wrongAnswer = workload.CheckResponse(call.ResponseMessage);
                checkedOne = true;
            }

            Record(state, index, end - start, call.Status, call.StatusMessage, wrongAnswer);
            connection.Release(call);
        }
    }

    private static async Task RunCairnClientAsync(EtcdClient client, UnaryWorkload workload, UnaryRunState state)
    {
        await Task.Yield();
        byte[] request = new byte[workload.MaxRequestBytes];
        while (state.TryTakeNext(out long index))
        {
            if (state.Rate is { } rate)
            {
                await rate.WaitTurnAsync(index).ConfigureAwait(false);
            }

            int length = workload.WriteRequest(index, request);
            long start = Stopwatch.GetTimestamp();
            try
            {
                await workload.CallWithClientAsync(client, request.AsMemory(0, length)).ConfigureAwait(false);
                Record(state, index, Stopwatch.GetTimestamp() - start, GrpcStatusCode.OK, string.Empty, null);
            }
            catch (RpcException error)
            {
                Record(state, index, 0, error.StatusCode, error.Message, null);
            }
        }
    }

    private static void Record(UnaryRunState state, long index, long elapsedTicks, GrpcStatusCode status, string message, string? wrongAnswer)
    {
        if (status != GrpcStatusCode.OK)
        {
            state.Errors.Add(status, message);
        }
        else if (wrongAnswer is not null)
        {
            state.Errors.Add("unexpected response: " + wrongAnswer);
        }
        else
        {
            state.Latencies.Record(index, elapsedTicks);
        }

        state.MarkCompleted();
    }

    /// <summary>Opens the lean connections, turning connection failures into a message for the user.</summary>
    public static async Task<LeanGrpcChannel> ConnectLeanAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var options = new Http2ConnectionOptions { ConnectTimeout = settings.DialTimeout };
        try
        {
            return await LeanGrpcChannel.ConnectAsync(settings.Endpoints, settings.Connections, options, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            throw new BenchException($"{exception.Message}; is the server running? (check --endpoints)", exception);
        }
    }

    private static async Task<EtcdClient[]> ConnectCairnClientsAsync(BenchSettings settings)
    {
        var clients = new EtcdClient[settings.Connections];
        for (int i = 0; i < clients.Length; i++)
        {
            var options = new EtcdClientOptions { DialTimeout = settings.DialTimeout };
            options.Endpoints.Add(settings.Endpoints[i % settings.Endpoints.Count].ToString());
            clients[i] = new EtcdClient(options);
        }

        try
        {
            foreach (EtcdClient client in clients)
            {
                await client.Maintenance.StatusAsync(new Cairn.Protocol.Etcd.StatusRequest()).ConfigureAwait(false);
            }
        }
        catch (RpcException exception)
        {
            new Disposables(clients).Dispose();
            throw new BenchException($"cannot reach the server: {exception.Message}; is it running? (check --endpoints)", exception);
        }

        return clients;
    }

    private sealed class Disposables(IEnumerable<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (IDisposable item in items)
            {
                item.Dispose();
            }
        }
    }
}
