using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Server.Grpc;
using Cairn.Server.Node;
using Cairn.Storage.Snapshots;
using Cairn.Storage.StateMachine;

namespace Cairn.Server.Services;

/// <summary>
/// <c>etcdserverpb.Maintenance</c>: Status, Alarm, Hash, HashKV, Snapshot, Defragment and MoveLeader, with etcd 3.4's
/// headers (none on Alarm, Defragment, MoveLeader and the snapshot stream).
/// </summary>
public sealed class MaintenanceService
{
    private readonly EtcdNode _node;

    /// <summary>Creates the service for <paramref name="node"/>.</summary>
    public MaintenanceService(EtcdNode node) => _node = node;

    /// <summary>Status: version, sizes, leader, raft positions, errors (alarms, no leader), learner flag.</summary>
    public ValueTask<StatusResponse> StatusAsync(StatusRequest request, ServerCallContext call)
    {
        var response = new StatusResponse
        {
            Header = _node.FillHeader(new ResponseHeader()),
            Version = EtcdCompatibility.ServerVersion,
            DbSize = _node.State.Store.SizeBytes,
            DbSizeInUse = _node.State.Store.SizeInUseBytes,
            Leader = _node.LeaderId,
            RaftIndex = _node.CommitIndex,
            RaftTerm = _node.Term,
            RaftAppliedIndex = _node.AppliedIndex,
            IsLearner = _node.IsLearner,
        };
        if (_node.LeaderId == 0)
        {
            response.Errors.Add(NodeErrors.NoLeader.Message);
        }

        response.Errors.AddRange(_node.State.Alarms.StatusErrors());
        return new ValueTask<StatusResponse>(response);
    }

    /// <summary>Alarm: GET lists (after a read barrier), ACTIVATE and DEACTIVATE go through raft. No header (3.4).</summary>
    public async ValueTask<AlarmResponse> AlarmAsync(AlarmRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        if (request.Action == AlarmRequest.Types.AlarmAction.Get)
        {
            await _node.ReadBarrierAsync(call.CancellationToken).ConfigureAwait(false);
            return _node.State.Alarms.Apply(request);
        }

        ApplyResult result = await _node.ProposeAsync(new InternalRequest { Alarm = request }, call.CancellationToken).ConfigureAwait(false);
        return (AlarmResponse)result.Response!;
    }

    /// <summary>Hash: a checksum of the whole replicated state (members with the same history agree).</summary>
    public ValueTask<HashResponse> HashAsync(HashRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        var response = new HashResponse { Header = new ResponseHeader { Revision = _node.State.Store.CurrentRevision } };
        response.Hash = _node.State.HashState();
        _node.FillHeader(response.Header);
        return new ValueTask<HashResponse>(response);
    }

    /// <summary>HashKV at a revision (0 = current).</summary>
    public ValueTask<HashKVResponse> HashKVAsync(HashKVRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        HashKVResponse response = KvService.Read((_node.State.Store, request.Revision), static r => r.Store.HashKV(r.Revision));
        _node.FillHeader(response.Header);
        return new ValueTask<HashKVResponse>(response);
    }

    /// <summary>Snapshot: the state at one point in time as the bbolt database etcd 3.4 keeps (so stock etcdctl can
    /// check and restore it), streamed in 32 KiB chunks with remaining_bytes, then its SHA-256; no header (reference
    /// §8). The database is written to the data directory's tmp folder and deleted afterwards.</summary>
    public async ValueTask SnapshotAsync(SnapshotRequest request, IGrpcStreamWriter<SnapshotResponse> responses, ServerCallContext call)
    {
        AuthGate.Check(call);
        string directory = Path.Combine(_node.TemporaryDirectory, "stream-" + Guid.NewGuid().ToString("N"));
        try
        {
            string database = Path.Combine(directory, "db");
            await Task.Run(() =>
            {
                Directory.CreateDirectory(directory);
                using StateSnapshot snapshot = _node.State.CaptureSnapshot();
                EtcdBackendExport.WriteFile(snapshot, database);
            }, call.CancellationToken).ConfigureAwait(false);
            foreach (SnapshotResponse chunk in EtcdSnapshotStream.Responses(database))
            {
                await responses.WriteAsync(chunk, call.CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>
    /// Defragment: finishes pending physical compaction and value-file reclamation, then writes a snapshot and releases
    /// the WAL segments behind it, so the member's disk use shrinks to about its live data. No header (reference §4.1).
    /// </summary>
    public async ValueTask<DefragmentResponse> DefragmentAsync(DefragmentRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        await Task.Run(() =>
        {
            while (_node.State.RunMaintenance())
            {
            }
        }, call.CancellationToken).ConfigureAwait(false);
        await _node.SnapshotNowAsync().WaitAsync(call.CancellationToken).ConfigureAwait(false);
        return new DefragmentResponse();
    }

    /// <summary>MoveLeader: only on the leader, to a voting member; to itself it is a no-op. No header.</summary>
    public async ValueTask<MoveLeaderResponse> MoveLeaderAsync(MoveLeaderRequest request, ServerCallContext call)
    {
        await _node.MoveLeaderAsync(request.TargetID, call.CancellationToken).ConfigureAwait(false);
        return new MoveLeaderResponse();
    }
}
