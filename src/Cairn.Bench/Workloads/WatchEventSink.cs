using System.Buffers.Binary;
using System.Diagnostics;
using Cairn.Bench.Stats;
using Cairn.Protocol.Etcd;

namespace Cairn.Bench.Workloads;

/// <summary>
/// Where the watch streams' events go: each event's value names its put, whose send and acknowledgement times give
/// the event latency (put sent → event received, etcd's watch-latency measure) and the delay after the put's ack.
/// </summary>
internal sealed class WatchEventSink
{
    private readonly long[] _putSentTicks;
    private readonly long[] _putAckedTicks;
    private readonly TaskCompletionSource _allReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _received;
    private long _beforeAck;
    private long _lastEventTicks;
    private long _expected;

    public WatchEventSink(long putTotal, long maxEvents)
    {
        _putSentTicks = new long[putTotal];
        _putAckedTicks = new long[putTotal];
        EventLatencies = new LatencyRecorder(maxEvents);
        AfterAckDelays = new LatencyRecorder(maxEvents);
        _expected = maxEvents;
    }

    /// <summary>Put sent → event received, per event.</summary>
    public LatencyRecorder EventLatencies { get; }

    /// <summary>Put acknowledged → event received, for events that arrived after the acknowledgement.</summary>
    public LatencyRecorder AfterAckDelays { get; }

    /// <summary>Problems with events (unknown values, watch cancellations).</summary>
    public ErrorCounter Errors { get; } = new();

    /// <summary>Events received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Events that arrived before their put was acknowledged.</summary>
    public long BeforeAck => Interlocked.Read(ref _beforeAck);

    /// <summary>When the last event arrived (Stopwatch ticks).</summary>
    public long LastEventTicks => Interlocked.Read(ref _lastEventTicks);

    /// <summary>Completes when every expected event has arrived.</summary>
    public Task AllReceived => _allReceived.Task;

    /// <summary>Records that put <paramref name="put"/> is about to be sent.</summary>
    public void PutSent(long put) => Volatile.Write(ref _putSentTicks[put], Stopwatch.GetTimestamp());

    /// <summary>Records that put <paramref name="put"/> was acknowledged.</summary>
    public void PutAcked(long put, long ticks) => Volatile.Write(ref _putAckedTicks[put], ticks);

    /// <summary>A put failed: its events will never come.</summary>
    public void PutFailed(int watchers) => ReduceExpected(watchers);

    /// <summary>Handles one response message of a watch stream.</summary>
    public void OnResponse(WatchResponse response)
    {
        long now = Stopwatch.GetTimestamp();
        if (response.Canceled)
        {
            Errors.Add($"watch {response.WatchId} canceled by the server: {response.CancelReason}");
            return;
        }

        foreach (Event watchEvent in response.Events)
        {
            OnEvent(watchEvent, now);
        }
    }

    private void OnEvent(Event watchEvent, long now)
    {
        ReadOnlySpan<byte> value = watchEvent.Kv is { } kv ? kv.Value.Span : default;
        long put = value.Length >= WatchSettings.MinValueSize ? BinaryPrimitives.ReadInt64BigEndian(value) : -1;
        if (put < 0 || put >= _putSentTicks.Length || Volatile.Read(ref _putSentTicks[put]) == 0)
        {
            Errors.Add("watch event that no put of this run produced");
            return;
        }

        long slot = Interlocked.Increment(ref _received) - 1;
        if (slot >= EventLatencies.Capacity)
        {
            Errors.Add("more watch events than the puts can produce");
            return;
        }

        EventLatencies.Record(slot, now - Volatile.Read(ref _putSentTicks[put]));
        long acked = Volatile.Read(ref _putAckedTicks[put]);
        if (acked == 0)
        {
            Interlocked.Increment(ref _beforeAck);
        }
        else
        {
            AfterAckDelays.Record(slot, now - acked);
        }

        Volatile.Write(ref _lastEventTicks, now);
        if (slot + 1 >= Interlocked.Read(ref _expected))
        {
            _allReceived.TrySetResult();
        }
    }

    private void ReduceExpected(int by)
    {
        if (Interlocked.Add(ref _expected, -by) <= Received)
        {
            _allReceived.TrySetResult();
        }
    }
}
