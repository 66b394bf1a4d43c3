using Cairn.Protocol.Grpc;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Alarms;
using Google.Protobuf;
using RequestCase = Cairn.Protocol.Internal.InternalRequest.RequestOneofCase;

namespace Cairn.Storage.StateMachine;

/// <summary>Routing each request kind to its part of the state, with etcd's alarm gates.</summary>
public sealed partial class KvStateMachine
{
    private ApplyResult Dispatch(InternalRequest request, ulong raftTerm)
    {
        Task? physical = null;
        try
        {
            ThrowIfGated(request);
            IMessage? response = request.RequestCase switch
            {
                RequestCase.Put => WithHeader(Store.Put(request.Put), raftTerm),
                RequestCase.DeleteRange => WithHeader(Store.DeleteRange(request.DeleteRange), raftTerm),
                RequestCase.Txn => WithHeader(Store.Txn(request.Txn), raftTerm),
                RequestCase.Compaction => WithHeader(Store.Compact(request.Compaction, out physical), raftTerm),
                RequestCase.LeaseGrant => GrantLease(request.LeaseGrant, raftTerm),
                RequestCase.LeaseRevoke => RevokeLease(request.LeaseRevoke.ID, raftTerm),
                RequestCase.LeaseCheckpoint => CheckpointLeases(request.LeaseCheckpoint, raftTerm),
                RequestCase.Alarm => Alarms.Apply(request.Alarm),
                RequestCase.Noop => null,
                _ => DispatchCluster(request, raftTerm),
            };
            return new ApplyResult(ApplyOutcome.Applied, request.Id, response, null, physical);
        }
        catch (EtcdException failure)
        {
            return new ApplyResult(ApplyOutcome.Applied, request.Id, null, failure.Error, null);
        }
    }

    /// <summary>etcd's corrupt and capped appliers: CORRUPT stops every KV change; NOSPACE stops writes that add
    /// data (Put, Txn with a put, LeaseGrant) while deletes, revokes and compaction still work.</summary>
    private void ThrowIfGated(InternalRequest request)
    {
        bool kvChange = request.RequestCase is RequestCase.Put or RequestCase.DeleteRange or RequestCase.Txn
            or RequestCase.Compaction or RequestCase.LeaseGrant or RequestCase.LeaseRevoke;
        if (kvChange && Alarms.IsActive(AlarmType.Corrupt))
        {
            throw EtcdError.Corrupt.ToException();
        }

        bool addsData = request.RequestCase switch
        {
            RequestCase.Put => true,
            RequestCase.LeaseGrant => true,
            RequestCase.Txn => QuotaGuard.Cost(request.Txn) > 0,
            _ => false,
        };
        if (addsData && Alarms.IsActive(AlarmType.Nospace))
        {
            throw EtcdError.NoSpace.ToException();
        }
    }

    private PutResponse WithHeader(PutResponse response, ulong raftTerm)
    {
        FillHeader(response.Header, raftTerm);
        return response;
    }

    private DeleteRangeResponse WithHeader(DeleteRangeResponse response, ulong raftTerm)
    {
        FillHeader(response.Header, raftTerm);
        return response;
    }

    private TxnResponse WithHeader(TxnResponse response, ulong raftTerm)
    {
        FillHeader(response.Header, raftTerm);
        return response;
    }

    private CompactionResponse WithHeader(CompactionResponse response, ulong raftTerm)
    {
        FillHeader(response.Header, raftTerm);
        return response;
    }

    private ResponseHeader CurrentHeader(ulong raftTerm) =>
        FillHeader(new ResponseHeader { Revision = Store.CurrentRevision }, raftTerm);

    private LeaseGrantResponse GrantLease(LeaseGrantRequest request, ulong raftTerm)
    {
        LeaseGrantResponse response = Leases.Grant(request);
        response.Header = CurrentHeader(raftTerm);
        return response;
    }

    /// <summary>Revocation deletes the attached keys in one revision (key order), then forgets the lease.</summary>
    private LeaseRevokeResponse RevokeLease(long leaseId, ulong raftTerm)
    {
        List<byte[]> keys = Leases.KeysOf(leaseId) ?? throw EtcdError.LeaseNotFound.ToException();
        if (keys.Count > 0)
        {
            Store.DeleteKeys(keys);
        }

        Leases.Remove(leaseId);
        return new LeaseRevokeResponse { Header = CurrentHeader(raftTerm) };
    }

    private LeaseCheckpointResponse CheckpointLeases(LeaseCheckpointRequest request, ulong raftTerm)
    {
        Leases.ApplyCheckpoint(request);
        return new LeaseCheckpointResponse { Header = CurrentHeader(raftTerm) };
    }

    private IMessage? DispatchCluster(InternalRequest request, ulong raftTerm)
    {
        // Cluster RPC headers carry cluster_id, member_id and raft_term but revision 0 (reference §4.1).
        var header = FillHeader(new ResponseHeader(), raftTerm);
        switch (request.RequestCase)
        {
            case RequestCase.MemberAdd:
                MemberAddResponse added = Cluster.Add(request.MemberAdd.Member ?? new Member());
                added.Header = FillHeader(new ResponseHeader(), raftTerm);
                return added;
            case RequestCase.MemberRemove:
                MemberRemoveResponse removed = Cluster.Remove(request.MemberRemove.Id);
                removed.Header = header;
                return removed;
            case RequestCase.MemberUpdate:
                MemberUpdateResponse updated = Cluster.Update(request.MemberUpdate.Id, request.MemberUpdate.PeerUrls);
                updated.Header = header;
                return updated;
            case RequestCase.MemberPromote:
                MemberPromoteResponse promoted = Cluster.Promote(request.MemberPromote.Id);
                promoted.Header = header;
                return promoted;
            case RequestCase.MemberPublish:
                Cluster.Publish(request.MemberPublish.Id, request.MemberPublish.Name, request.MemberPublish.ClientUrls);
                return null;
            case RequestCase.ClusterBootstrap:
                Cluster.Bootstrap(request.ClusterBootstrap.ClusterId, request.ClusterBootstrap.Members);
                return null;
            case RequestCase.ClusterVersion:
                Cluster.SetVersion(request.ClusterVersion.Version);
                return null;
            default:
                throw new EtcdException(GrpcStatusCode.Unimplemented,
                    $"etcdserver: unknown replicated request kind {(int)request.RequestCase}");
        }
    }
}
