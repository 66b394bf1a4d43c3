using Cairn.Protocol.Grpc;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Alarms;
using Cairn.Storage.Cluster;
using Cairn.Storage.Leases;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Watch;
using Google.Protobuf;

namespace Cairn.Storage.StateMachine;

/// <summary>
/// The deterministic state machine: applies committed raft entries (encoded <see cref="InternalRequest"/>s) in log
/// order to the MVCC store, leases, alarms and membership, and records the applied index with the state. Apply
/// reads no clock and no randomness, so members that apply the same entries reach the same state (same HashKV,
/// same snapshot bytes).
/// </summary>
/// <remarks>
/// <para>Call <see cref="Apply(ulong, ulong, ReadOnlySpan{byte})"/> from one thread at a time, in log order, for every
/// committed entry (empty entries included). Reads (<see cref="Store"/>, <see cref="Leases"/>, <see cref="Cluster"/>,
/// <see cref="Alarms"/>, <see cref="Watches"/>) are safe from any thread at any time.</para>
/// </remarks>
public sealed partial class KvStateMachine : IDisposable
{
    private readonly StateMachineOptions _options;
    private readonly object _applyLock = new();
    private ulong _appliedIndex;
    private ulong _appliedTerm;

    /// <summary>Creates an empty state (revision 1, applied index 0).</summary>
    public KvStateMachine(StateMachineOptions options)
    {
        _options = options;
        Store = new MvccStore(options.Mvcc);
        Leases = new Lessor(options.Leases, options.Time);
        Store.SetLeaseRegistry(Leases);
        Watches = new WatchHub(Store, options.Watch);
        Alarms = new AlarmStore();
        Cluster = new ClusterState(options.MaxLearners);
    }

    /// <summary>The key-value store (serializable reads: Range, ReadOnlyTxn, HashKV).</summary>
    public MvccStore Store { get; private set; }

    /// <summary>The lease table (TimeToLive, Leases, keepalive, expiry).</summary>
    public Lessor Leases { get; }

    /// <summary>The watch hub.</summary>
    public WatchHub Watches { get; private set; }

    /// <summary>Active alarms.</summary>
    public AlarmStore Alarms { get; }

    /// <summary>Membership.</summary>
    public ClusterState Cluster { get; }

    /// <summary>The options.</summary>
    public StateMachineOptions Options => _options;

    /// <summary>Index of the last applied raft entry (0 = none).</summary>
    public ulong AppliedIndex => Volatile.Read(ref _appliedIndex);

    /// <summary>Term of the last applied raft entry.</summary>
    public ulong AppliedTerm => Volatile.Read(ref _appliedTerm);

    /// <summary>
    /// Applies one committed raft entry. Empty data is a no-op entry. An index at or below
    /// <see cref="AppliedIndex"/> is ignored (replay after loading a snapshot); a gap is a bug in the caller and
    /// fails stop. Malformed data becomes an error result (deterministic), not an exception.
    /// </summary>
    public ApplyResult Apply(ulong raftIndex, ulong raftTerm, ReadOnlySpan<byte> entryData)
    {
        InternalRequest? request = null;
        EtcdError? decodeError = null;
        if (!entryData.IsEmpty)
        {
            try
            {
                request = InternalRequest.Parser.ParseFrom(entryData);
            }
            catch (InvalidProtocolBufferException)
            {
                decodeError = MalformedRequest;
            }
        }

        return ApplyDecoded(raftIndex, raftTerm, request, decodeError);
    }

    /// <summary>Applies an already decoded request (same rules as the byte overload).</summary>
    public ApplyResult Apply(ulong raftIndex, ulong raftTerm, InternalRequest request) =>
        ApplyDecoded(raftIndex, raftTerm, request, null);

    /// <summary>Runs background maintenance (physical compaction, value-file reclamation) for a bounded step; call
    /// when the apply queue is idle. Returns true if more work can be done now.</summary>
    public bool RunMaintenance()
    {
        lock (_applyLock)
        {
            return Store.RunMaintenanceStep();
        }
    }

    /// <summary>The error for entry data that does not decode as an <see cref="InternalRequest"/>.</summary>
    public static readonly EtcdError MalformedRequest =
        new(GrpcStatusCode.Internal, "etcdserver: malformed replicated request (the entry does not decode)");

    private ApplyResult ApplyDecoded(ulong raftIndex, ulong raftTerm, InternalRequest? request, EtcdError? decodeError)
    {
        lock (_applyLock)
        {
            if (raftIndex <= _appliedIndex)
            {
                return ApplyResult.AlreadyApplied;
            }

            Invariant.Check(
                raftIndex == _appliedIndex + 1,
                $"raft entry {raftIndex} applied after {_appliedIndex}: entries must be applied in order without gaps");
            ApplyResult result = request is null && decodeError is null
                ? ApplyResult.Noop
                : decodeError is not null
                    ? new ApplyResult(ApplyOutcome.Applied, 0, null, decodeError, null)
                    : Dispatch(request!, raftTerm);
            Volatile.Write(ref _appliedTerm, raftTerm);
            Volatile.Write(ref _appliedIndex, raftIndex);
            if (Store.HasMaintenanceWork)
            {
                Store.RunMaintenanceStep();
            }

            return result;
        }
    }

    /// <summary>Fills a response header the way etcd's newHeader does (revision left as set by the store).</summary>
    public ResponseHeader FillHeader(ResponseHeader header, ulong raftTerm)
    {
        header.ClusterId = Cluster.ClusterId;
        header.MemberId = _options.LocalMemberId;
        header.RaftTerm = raftTerm;
        return header;
    }

    /// <summary>Unmaps value files and deletes the value-log segments.</summary>
    public void Dispose()
    {
        lock (_applyLock)
        {
            Store.Dispose();
        }
    }
}
