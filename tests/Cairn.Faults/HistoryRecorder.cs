using System.Collections.Concurrent;
using System.Diagnostics;
using Cairn.Client;
using Cairn.Linearizability;

namespace Cairn.Faults;

/// <summary>
/// Drives N concurrent clients doing a random mix of get / put / delete / compare-and-set on a few keys
/// against a list of endpoints, and records every operation for <see cref="LinearizabilityChecker"/>.
/// Written values are unique ("c{client}-{sequence}"); compare-and-sets compare against what the client
/// last read, as a real read-modify-write client does.
/// </summary>
public static class HistoryRecorder
{
    /// <summary>Records until <paramref name="stop"/> fires (in-flight requests finish) or the operation cap is hit.</summary>
    public static async Task<List<Operation>> RecordAsync(IReadOnlyList<string> endpoints, RecorderOptions options, CancellationToken stop)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("the recorder needs at least one endpoint", nameof(endpoints));
        }

        var sink = new ConcurrentQueue<Operation>();
        var budget = new OperationBudget(options.MaxOperations);
        var workers = new List<Task>();
        for (int clientId = 0; clientId < options.Clients; clientId++)
        {
            int id = clientId;
            workers.Add(Task.Run(() => RunClientAsync(id, endpoints, options, sink, budget, stop), CancellationToken.None));
        }

        await Task.WhenAll(workers);
        return [.. sink];
    }

    private sealed class OperationBudget(int max)
    {
        private int used;

        public bool TryTake() => Interlocked.Increment(ref used) <= max;
    }

    private static async Task RunClientAsync(int clientId, IReadOnlyList<string> endpoints, RecorderOptions options, ConcurrentQueue<Operation> sink, OperationBudget budget, CancellationToken stop)
    {
        var clients = new EtcdClient[endpoints.Count];
        for (int i = 0; i < clients.Length; i++)
        {
            clients[i] = EtcdClient.Connect(endpoints[i]);
        }

        try
        {
            var random = new Random(clientId * 7919 + Environment.TickCount);
            var lastSeen = new Dictionary<string, (bool Found, string? Value, long ModRevision)>();
            int sequence = 0;
            int endpointIndex = clientId % clients.Length;
            while (!stop.IsCancellationRequested && budget.TryTake())
            {
                string key = $"{options.KeyPrefix}k{random.Next(options.Keys)}";
                EtcdClient client = clients[endpointIndex];
                if (options.RotateEndpoints)
                {
                    endpointIndex = (endpointIndex + 1) % clients.Length;
                }

                Operation request = NewRequest(random, options, clientId, key, $"c{clientId}-{sequence++}", lastSeen);
                Operation done = await KvOperationExecutor.ExecuteAsync(client, request, options.SerializableReads, options.RequestTimeout);
                sink.Enqueue(done);
                if (done.Outcome == Outcome.Ok && done.Kind == OperationKind.Get)
                {
                    lastSeen[key] = (done.Found, done.ReadValue, done.ModRevision);
                }
                else if (done.Outcome != Outcome.Ok)
                {
                    await Task.Delay(options.BackoffAfterError, CancellationToken.None);
                }
            }
        }
        finally
        {
            foreach (EtcdClient client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static Operation NewRequest(Random random, RecorderOptions options, int clientId, string key, string value,
        Dictionary<string, (bool Found, string? Value, long ModRevision)> lastSeen)
    {
        int roll = random.Next(100);
        (int get, int put, int delete) = options.MixPercent;
        OperationKind kind = roll < get ? OperationKind.Get
            : roll < get + put ? OperationKind.Put
            : roll < get + put + delete ? OperationKind.Delete
            : OperationKind.CompareAndSet;
        lastSeen.TryGetValue(key, out var seen);
        bool onRevision = random.Next(2) == 0;
        return new Operation
        {
            ClientId = clientId,
            Kind = kind,
            Key = key,
            WriteValue = kind is OperationKind.Put or OperationKind.CompareAndSet ? value : null,
            Compare = onRevision ? CompareTarget.ModRevision : CompareTarget.Value,
            CompareModRevision = seen.Found ? seen.ModRevision : 0,
            CompareValue = seen.Value ?? "never-written",
            InvokeTicks = Stopwatch.GetTimestamp(),
        };
    }
}
