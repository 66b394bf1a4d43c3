using Cairn.Linearizability;

namespace Cairn.Linearizability.Tests;

/// <summary>
/// Generates histories of a simulated linearizable etcd: clients issue random operations with random
/// latencies; each applied operation takes effect atomically at a random instant inside its interval,
/// in instant order, on a model store with one global revision counter. Some operations get an unknown
/// outcome (applied or not, coin flip). The trace remembers what each read saw and what each write
/// replaced so tests can plant anomalies that are guaranteed to be real.
/// </summary>
internal sealed class SimulatedHistory
{
    private sealed record KeyValue(bool Exists, string? Value, long ModRevision);

    private sealed class Pending(Operation op, long effectTicks, bool applies)
    {
        public Operation Op { get; } = op;
        public long EffectTicks { get; } = effectTicks;
        public bool Applies { get; } = applies;
    }

    public List<Operation> Operations { get; } = [];

    /// <summary>For each applied write: the key's state just before it.</summary>
    public Dictionary<Operation, (bool Exists, string? Value, long ModRevision)> PriorState { get; } = [];

    /// <summary>For each ok get: the write whose state it returned (absent when it read the initial state).</summary>
    public Dictionary<Operation, Operation> ObservedWriter { get; } = [];

    public static SimulatedHistory Generate(int seed, int clients, int keys, int operationCount, double unknownRate, int maxLatencyTicks = 40)
    {
        var random = new Random(seed);
        var history = new SimulatedHistory();
        var pending = new List<Pending>(operationCount);
        long[] clientClock = new long[clients];
        for (int i = 0; i < operationCount; i++)
        {
            int client = random.Next(clients);
            long invoke = clientClock[client] + random.Next(1, 10);
            long latency = random.Next(1, maxLatencyTicks);
            // Times are scaled and offset by client so that no two events share an instant.
            long invokeTicks = invoke * 1000 + client;
            long returnTicks = (invoke + latency) * 1000 + client;
            long effectTicks = invokeTicks + 1 + random.NextInt64(returnTicks - invokeTicks - 1);
            clientClock[client] = invoke + latency;
            bool unknown = random.NextDouble() < unknownRate;
            Operation op = NewOperation(random, client, $"k{random.Next(keys)}", $"c{client}-{i}", invokeTicks, returnTicks, unknown);
            pending.Add(new Pending(op, effectTicks, !unknown || random.Next(2) == 0));
            history.Operations.Add(op);
        }

        pending.Sort((a, b) => a.EffectTicks.CompareTo(b.EffectTicks));
        history.Apply(random, pending);
        return history;
    }

    private static Operation NewOperation(Random random, int client, string key, string value, long invoke, long ret, bool unknown)
    {
        OperationKind kind = random.Next(10) switch
        {
            < 4 => OperationKind.Get,
            < 7 => OperationKind.Put,
            < 8 => OperationKind.Delete,
            _ => OperationKind.CompareAndSet,
        };
        return new Operation
        {
            ClientId = client, Kind = kind, Key = key,
            WriteValue = kind is OperationKind.Put or OperationKind.CompareAndSet ? value : null,
            Compare = random.Next(2) == 0 ? CompareTarget.ModRevision : CompareTarget.Value,
            InvokeTicks = invoke, ReturnTicks = ret, Outcome = unknown ? Outcome.Unknown : Outcome.Ok,
        };
    }

    private void Apply(Random random, List<Pending> pending)
    {
        long revision = 1;
        var store = new Dictionary<string, KeyValue>();
        var lastWriter = new Dictionary<string, Operation>();
        var lastSeen = new Dictionary<(int, string), KeyValue>();
        foreach (Pending item in pending)
        {
            Operation op = item.Op;
            KeyValue current = store.GetValueOrDefault(op.Key) ?? new KeyValue(false, null, 0);
            if (op.Kind == OperationKind.CompareAndSet)
            {
                // Compare against what this client last saw (a real client's CAS), sometimes something stale.
                KeyValue seen = lastSeen.GetValueOrDefault((op.ClientId, op.Key)) ?? new KeyValue(false, null, 0);
                op = item.Op.Compare == CompareTarget.ModRevision
                    ? WithCompare(item.Op, random.Next(4) == 0 ? Math.Max(0, seen.ModRevision - 1) : seen.ModRevision, null)
                    : WithCompare(item.Op, 0, seen.Value ?? "never-written");
                Replace(item.Op, op);
            }

            if (!item.Applies)
            {
                continue;
            }

            KeyValue next = Execute(op, current, ref revision);
            if (op.Kind == OperationKind.Get && op.Outcome == Outcome.Ok && lastWriter.TryGetValue(op.Key, out Operation? writer))
            {
                ObservedWriter[op] = writer;
            }

            if (op.Kind == OperationKind.Get)
            {
                lastSeen[(op.ClientId, op.Key)] = current;
            }

            if (!ReferenceEquals(next, current))
            {
                PriorState[op] = (current.Exists, current.Value, current.ModRevision);
                store[op.Key] = next;
                lastWriter[op.Key] = op;
            }
        }
    }

    private static KeyValue Execute(Operation op, KeyValue current, ref long revision)
    {
        switch (op.Kind)
        {
            case OperationKind.Get:
                op.Found = current.Exists;
                op.ReadValue = current.Value;
                op.ModRevision = current.ModRevision;
                op.HeaderRevision = revision;
                return current;
            case OperationKind.Put:
                op.HeaderRevision = ++revision;
                return new KeyValue(true, op.WriteValue, revision);
            case OperationKind.Delete:
                op.DeletedCount = current.Exists ? 1 : 0;
                op.HeaderRevision = current.Exists ? ++revision : revision;
                return current.Exists ? new KeyValue(false, null, 0) : current;
            default:
                bool holds = op.Compare == CompareTarget.ModRevision
                    ? current.ModRevision == op.CompareModRevision
                    : current.Exists && current.Value == op.CompareValue;
                op.Succeeded = holds;
                op.HeaderRevision = holds ? ++revision : revision;
                return holds ? new KeyValue(true, op.WriteValue, revision) : current;
        }
    }

    private static Operation WithCompare(Operation op, long modRevision, string? value) => new()
    {
        ClientId = op.ClientId, Kind = op.Kind, Key = op.Key, WriteValue = op.WriteValue, Compare = op.Compare,
        CompareModRevision = modRevision, CompareValue = value, InvokeTicks = op.InvokeTicks,
        ReturnTicks = op.ReturnTicks, Outcome = op.Outcome,
    };

    private void Replace(Operation old, Operation replacement)
    {
        int index = Operations.IndexOf(old);
        Operations[index] = replacement;
    }
}
