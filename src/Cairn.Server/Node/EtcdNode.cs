using System.Collections.Concurrent;
using Cairn.Protocol.Etcd;
using Cairn.Raft;
using Cairn.Storage.Alarms;
using Cairn.Storage.Cluster;
using Cairn.Storage.Leases;
using Cairn.Storage.StateMachine;
using Cairn.Storage.Wal;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Node;

/// <summary>
/// The local member: a raft node driven by one dedicated loop thread, its write-ahead log, and the state machine it
/// applies to. Client calls propose (<see cref="ProposeAsync"/>) and read (<see cref="ReadBarrierAsync"/>, then
/// <see cref="State"/>) from any thread; everything that touches raft happens on the loop thread. See docs/SERVER.md.
/// </summary>
/// <remarks>
/// Files: EtcdNode.Open (recovery and bootstrap), .Loop (the thread), .Ready (persist, send, apply order), .Apply,
/// .Propose, .Reads, .LeaderChange, .Leases, .Snapshots, .Membership, .Status.
/// </remarks>
public sealed partial class EtcdNode : IEtcdNode, IAsyncDisposable
{
    private readonly NodeOptions _options;
    private readonly ILogger _log;
    private readonly MemberIdentity _identity;
    private readonly WalRaftStorage _storage;
    private readonly RawNode _raft;
    private readonly IRaftTransport _transport;
    private readonly RequestIdGenerator _requestIds;
    private readonly LeaseIdGenerator _leaseIds;
    private readonly Thread _loopThread;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
    private readonly ConcurrentQueue<PendingProposal> _proposalQueue = new();
    private readonly ConcurrentQueue<Action> _loopActions = new();
    private readonly ConcurrentQueue<Message> _inbox = new();
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception?> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ulong _startupCommitIndex;
    private QuotaGuard _quota;
    private int _wakeRequested;
    private int _pendingClientProposals;
    private volatile bool _stopRequested;
    private volatile Exception? _failure;
    private MemberRemovedException? _removal;

    /// <inheritdoc />
    public KvStateMachine State { get; }

    /// <inheritdoc />
    public ulong MemberId => _identity.MemberId;

    /// <inheritdoc />
    public ulong ClusterId => _identity.ClusterId;

    /// <inheritdoc />
    public bool HasLeader => Volatile.Read(ref _leaderId) != 0 && _failure is null;

    /// <summary>The options the node runs with.</summary>
    public NodeOptions Options => _options;

    /// <summary>Completes once the member serves clients: recovery replayed, a leader known, membership bootstrapped.</summary>
    public Task Serving => _serving.Task;

    /// <summary>Completes when the loop has stopped: with null after <see cref="DisposeAsync"/>, with a
    /// <see cref="MemberRemovedException"/> when the member was removed from its cluster, or with the fatal error (a WAL
    /// sync failure, a broken invariant) that stopped the member.</summary>
    public Task<Exception?> Stopped => _stopped.Task;

    /// <summary>Chooses lease IDs for LeaseGrant requests with ID 0 (before proposing, so apply stays deterministic).</summary>
    public LeaseIdGenerator LeaseIds => _leaseIds;

    /// <summary>The space quota checked before proposing writes.</summary>
    public QuotaGuard Quota => _quota;

    /// <summary>
    /// Fills cluster_id, member_id and raft_term, and the store's current revision when the header has none yet (a
    /// store read already put the revision it read at; a fresh store's revision is 1, never 0).
    /// </summary>
    public ResponseHeader FillHeader(ResponseHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        header.ClusterId = ClusterId;
        header.MemberId = MemberId;
        header.RaftTerm = Volatile.Read(ref _term);
        if (header.Revision == 0)
        {
            header.Revision = State.Store.CurrentRevision;
        }

        return header;
    }

    /// <summary>A header without a revision, as etcd sends for the Cluster RPCs (reference §4.1).</summary>
    public ResponseHeader ClusterHeader() => new()
    {
        ClusterId = ClusterId,
        MemberId = MemberId,
        RaftTerm = Volatile.Read(ref _term),
    };

    /// <summary>Hands a raft message from a peer to the loop (the peer transport calls this). Thread-safe.</summary>
    public void Receive(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _inbox.Enqueue(message);
        Wake();
    }

    /// <summary>
    /// Stops the member: leases get a remaining-TTL checkpoint (so a restart resumes them), the loop ends, pending
    /// calls fail with "etcdserver: server stopped", and the WAL and state are closed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopRequested && _failure is null && !_stopped.Task.IsCompleted)
        {
            await CheckpointLeasesBeforeStopAsync().ConfigureAwait(false);
        }

        _stopRequested = true;
        Wake();
        if (_loopThread.IsAlive)
        {
            await _stopped.Task.ConfigureAwait(false);
        }

        _storage.Wal.Dispose();
        State.Dispose();
        _wake.Dispose();
    }

    /// <summary>Wakes the loop so it collects the transport's unreachable and snapshot reports soon. Thread-safe.</summary>
    internal void WakeForTransport() => Wake();

    /// <summary>Wakes the loop (cheap when it is already awake).</summary>
    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _wake.Set();
        }
    }

    /// <summary>Runs <paramref name="action"/> on the loop thread and returns its result. An
    /// <see cref="Cairn.Protocol.Grpc.RpcException"/> or <see cref="ArgumentException"/> fails only this call; anything
    /// else is a bug or a storage failure and stops the member (fail-stop).</summary>
    private Task<T> OnLoopAsync<T>(Func<T> action)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        ThrowIfStopped();
        _loopActions.Enqueue(() =>
        {
            if (_stopRequested || _failure is not null)
            {
                completion.TrySetException(NodeErrors.Stopped.ToRpcException());
                return;
            }

            try
            {
                completion.TrySetResult(action());
            }
            catch (Exception error) when (error is Cairn.Protocol.Grpc.RpcException or ArgumentException)
            {
                completion.TrySetException(error);
            }
            catch
            {
                completion.TrySetException(NodeErrors.Stopped.ToRpcException());
                throw;
            }
        });
        Wake();
        return completion.Task;
    }

    private void ThrowIfStopped()
    {
        if (_failure is not null || _stopRequested)
        {
            throw NodeErrors.Stopped.ToRpcException();
        }
    }
}
