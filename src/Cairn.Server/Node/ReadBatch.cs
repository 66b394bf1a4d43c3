namespace Cairn.Server.Node;

/// <summary>
/// Linearizable reads that share one ReadIndex round. Readers join the open batch; the loop closes it, asks raft for a
/// read index (one leadership confirmation for all of them), and completes it once the state machine has applied that
/// index. A reader joins only a batch whose ReadIndex has not been requested yet, so the index it waits for was
/// confirmed after its read started (what makes the read linearizable).
/// </summary>
internal sealed class ReadBatch
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The batch's sequence number; the ReadIndex context carries it.</summary>
    public ulong Sequence { get; init; }

    /// <summary>Readers that joined (bounded by <see cref="NodeOptions.MaxPendingReads"/>).</summary>
    public int Readers { get; set; }

    /// <summary>The read index raft answered with; 0 until then.</summary>
    public ulong ReadIndex { get; set; }

    /// <summary>When raft was last asked for this batch's read index (Stopwatch ticks; 0 = not yet).</summary>
    public long AskedTimestamp { get; set; }

    /// <summary>When the batch gives up with "request timed out" (Stopwatch ticks; set when it is closed).</summary>
    public long DeadlineTimestamp { get; set; }

    /// <summary>Completes when the reads may be served from the local state.</summary>
    public Task Task => _completion.Task;

    /// <summary>Lets every reader proceed.</summary>
    public void Complete() => _completion.TrySetResult();

    /// <summary>Fails every reader with an etcd error.</summary>
    public void Fail(Cairn.Storage.EtcdError error) => _completion.TrySetException(error.ToRpcException());
}
