using System.Collections.Concurrent;
using Cairn.Protocol.Grpc;

namespace Cairn.Bench.Stats;

/// <summary>Failed requests counted by error text, as etcd's benchmark reports them (grpc-go's error string).</summary>
internal sealed class ErrorCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>All errors counted.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Counts one failed call with its status.</summary>
    public void Add(GrpcStatusCode status, string message) => Add(RpcException.FormatGoError(status, message));

    /// <summary>Counts one failure described by <paramref name="text"/>.</summary>
    public void Add(string text)
    {
        _counts.AddOrUpdate(text, 1, static (_, count) => count + 1);
        Interlocked.Increment(ref _total);
    }

    /// <summary>Counts <paramref name="count"/> failures of the same kind.</summary>
    public void Add(string text, long count)
    {
        if (count > 0)
        {
            _counts.AddOrUpdate(text, count, (_, existing) => existing + count);
            Interlocked.Add(ref _total, count);
        }
    }

    /// <summary>Each distinct error and how often it happened, most frequent first.</summary>
    public IReadOnlyList<(string Error, long Count)> Snapshot()
    {
        var list = new List<(string, long)>();
        foreach (var pair in _counts)
        {
            list.Add((pair.Key, pair.Value));
        }

        list.Sort(static (a, b) => b.Item2 != a.Item2 ? b.Item2.CompareTo(a.Item2) : string.CompareOrdinal(a.Item1, b.Item1));
        return list;
    }
}
