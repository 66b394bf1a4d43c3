using Cairn.Protocol.Internal;
using Cairn.Raft;
using Cairn.Storage.StateMachine;

namespace Cairn.Server.Node;

/// <summary>
/// One proposal on its way through raft: the encoded command, who waits for its result, and when it gives up. Created
/// by the proposer, queued, registered by the loop under its request ID, and completed exactly once: by apply, by its
/// deadline, or by a failure of the member.
/// </summary>
internal sealed class PendingProposal
{
    private int _completed;

    private PendingProposal(ulong id, InternalRequest? request, byte[] data, ConfChange? confChange, bool fromClient)
    {
        Id = id;
        Request = request;
        Data = data;
        ConfChange = confChange;
        FromClient = fromClient;
    }

    /// <summary>The request ID (<see cref="InternalRequest.Id"/>), unique per member.</summary>
    public ulong Id { get; }

    /// <summary>The decoded command, so the local apply need not decode the bytes again (never mutated after encoding).</summary>
    public InternalRequest? Request { get; }

    /// <summary>The encoded command: a normal entry's data, or the context of a membership change.</summary>
    public byte[] Data { get; }

    /// <summary>A membership change to propose instead of a normal entry (its context is <see cref="Data"/>).</summary>
    public ConfChange? ConfChange { get; }

    /// <summary>True for client requests, which count against <see cref="NodeOptions.MaxPendingProposals"/>.</summary>
    public bool FromClient { get; }

    /// <summary>Where a client waits; null for the member's own proposals (lease revokes, checkpoints).</summary>
    public TaskCompletionSource<ApplyResult>? Completion { get; private init; }

    /// <summary>Called on the loop thread when the member's own proposal completes (null result: it failed).</summary>
    public Action<ApplyResult?>? OnDone { get; private init; }

    /// <summary>When the proposal fails with "request timed out" (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long DeadlineTimestamp { get; set; }

    /// <summary>True once completed (result, timeout or failure).</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>A client proposal; its task completes off the loop thread.</summary>
    public static PendingProposal ForClient(ulong id, InternalRequest request, byte[] data, ConfChange? confChange = null) =>
        new(id, request, data, confChange, fromClient: true)
        {
            Completion = new TaskCompletionSource<ApplyResult>(TaskCreationOptions.RunContinuationsAsynchronously),
        };

    /// <summary>A proposal of the member itself (no client waits).</summary>
    public static PendingProposal Internal(ulong id, InternalRequest request, byte[] data, Action<ApplyResult?>? onDone = null) =>
        new(id, request, data, null, fromClient: false) { OnDone = onDone };

    /// <summary>Delivers the apply result; false if already completed.</summary>
    public bool TryComplete(ApplyResult result)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        Completion?.TrySetResult(result);
        OnDone?.Invoke(result);
        return true;
    }

    /// <summary>Fails the proposal with an etcd error; false if already completed.</summary>
    public bool TryFail(Cairn.Storage.EtcdError error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        Completion?.TrySetException(error.ToRpcException());
        OnDone?.Invoke(null);
        return true;
    }

    /// <summary>Marks the proposal abandoned by its caller (cancelled); the result, if it comes, is dropped.</summary>
    public bool TryCancel(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        Completion?.TrySetCanceled(cancellationToken);
        return true;
    }
}
