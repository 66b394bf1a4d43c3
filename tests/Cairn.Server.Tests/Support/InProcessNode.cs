using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Server.Node;
using Cairn.Storage.Mvcc;
using Cairn.Storage.StateMachine;
using Cairn.Storage.Watch;

namespace Cairn.Server.Tests.Support;

/// <summary>
/// A test stand-in for the raft node: proposals are applied at once, in order, to a real state machine (no raft, no
/// WAL). Lets the watch, lock, election and gateway code run against real MVCC, watch hub and lease semantics.
/// </summary>
public sealed class InProcessNode : IEtcdNode, IDisposable
{
    public const ulong TestClusterId = 0x1122334455667788;
    public const ulong TestMemberId = 0x8877665544332211;
    public const ulong TestTerm = 2;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-node-" + Guid.NewGuid().ToString("N"));
    private readonly SemaphoreSlim _applyLock = new(1, 1);
    private volatile bool _hasLeader = true;

    public InProcessNode(WatchOptions? watch = null)
    {
        State = new KvStateMachine(new StateMachineOptions
        {
            Mvcc = new MvccOptions { ValueDirectory = Path.Combine(_directory, "values") },
            Watch = watch ?? new WatchOptions(),
            LocalMemberId = TestMemberId,
        });
        var bootstrap = new ClusterBootstrapCommand { ClusterId = TestClusterId };
        bootstrap.Members.Add(new Member { ID = TestMemberId, Name = "test", PeerURLs = { "http://127.0.0.1:2380" } });
        State.Apply(1, TestTerm, new InternalRequest { ClusterBootstrap = bootstrap });
        State.Leases.Promote(0);
    }

    public KvStateMachine State { get; }

    public ulong MemberId => TestMemberId;

    public ulong ClusterId => TestClusterId;

    public bool HasLeader
    {
        get => _hasLeader;
        set => _hasLeader = value;
    }

    /// <summary>Proposals applied so far (to check a service did or did not write).</summary>
    public int Proposals { get; private set; }

    public ResponseHeader FillHeader(ResponseHeader header)
    {
        header.ClusterId = TestClusterId;
        header.MemberId = TestMemberId;
        header.RaftTerm = TestTerm;
        header.Revision = State.Store.CurrentRevision;
        return header;
    }

    public async Task<ApplyResult> ProposeAsync(InternalRequest request, CancellationToken cancellationToken)
    {
        await _applyLock.WaitAsync(cancellationToken);
        try
        {
            Proposals++;
            return State.Apply(State.AppliedIndex + 1, TestTerm, request);
        }
        finally
        {
            _applyLock.Release();
        }
    }

    public Task ReadBarrierAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        State.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
