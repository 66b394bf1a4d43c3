using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Leases;

namespace Cairn.Server.Node;

/// <summary>
/// Lease clocks are leader-local (Lessor): the leader proposes the revocation of expired leases and periodic
/// remaining-TTL checkpoints through raft; keepalives renew on the leader without raft, and a follower forwards
/// keepalives and time-to-live calls to the leader (EtcdNode.LeaderRequests).
/// </summary>
public sealed partial class EtcdNode
{
    /// <summary>Loop, every tick on the leader: revoke what expired, checkpoint what is due.</summary>
    private void ExpireAndCheckpointLeases()
    {
        if (!_isLeader)
        {
            return;
        }

        foreach (long leaseId in State.Leases.FindExpired(_options.MaxLeaseRevokesPerTick))
        {
            ProposeInternal(new InternalRequest { LeaseRevoke = new LeaseRevokeRequest { ID = leaseId } });
        }

        LeaseCheckpointRequest checkpoints = State.Leases.FindDueCheckpoints();
        if (checkpoints.Checkpoints.Count > 0)
        {
            ProposeInternal(new InternalRequest { LeaseCheckpoint = checkpoints });
        }
    }

    /// <summary>
    /// A keepalive (LeaseKeepAlive): the leader restarts the lease's clock and returns the granted TTL, or 0 for an
    /// unknown or expired lease (etcd answers those with TTL 0, not an error). A follower forwards it to the leader.
    /// </summary>
    public async Task<long> KeepAliveAsync(long leaseId, CancellationToken cancellationToken)
    {
        var request = new LeaseKeepAliveRequest { ID = leaseId };
        LeaseKeepAliveResponse response = await OnLeaderAsync(PeerRequestKind.LeaseKeepAlive, request, LeaseKeepAliveResponse.Parser,
            _ => Task.FromResult(RenewLeaseLocally(request)), idempotent: true, cancellationToken).ConfigureAwait(false);
        return response.TTL;
    }

    /// <summary>LeaseTimeToLive from the leader's clock (a follower asks the leader): remaining whole seconds, the
    /// granted TTL and optionally the keys; an unknown lease answers TTL -1.</summary>
    public Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CancellationToken cancellationToken) =>
        OnLeaderAsync(PeerRequestKind.LeaseTimeToLive, request, LeaseTimeToLiveResponse.Parser, _ => Task.FromResult(TimeToLiveLocally(request)), idempotent: true, cancellationToken);

    private LeaseKeepAliveResponse RenewLeaseLocally(LeaseKeepAliveRequest request)
    {
        LeaseRenewResult result = State.Leases.Renew(request.ID);
        switch (result.Status)
        {
            case LeaseRenewStatus.Renewed:
                return new LeaseKeepAliveResponse { ID = request.ID, TTL = result.TtlSeconds };
            case LeaseRenewStatus.NotFound:
                return new LeaseKeepAliveResponse { ID = request.ID, TTL = 0 };
            default:
                throw new PeerRequestRetryException("this member does not run the lease clocks (not the leader)");
        }
    }

    private LeaseTimeToLiveResponse TimeToLiveLocally(LeaseTimeToLiveRequest request) =>
        State.Leases.TimeToLiveOnPrimary(request.ID, request.Keys)
        ?? throw new PeerRequestRetryException("this member does not run the lease clocks (not the leader)");

    /// <summary>Before a clean stop the leader checkpoints every lease's remaining TTL, so the next start resumes
    /// each lease where it was instead of at its full TTL. Best effort: gives up after a second.</summary>
    private async Task CheckpointLeasesBeforeStopAsync()
    {
        if (Volatile.Read(ref _leaderId) != MemberId || State.Leases.Count == 0)
        {
            return;
        }

        var request = new LeaseCheckpointRequest();
        foreach (LeaseStatus lease in State.Leases.Leases().Leases)
        {
            LeaseTimeToLiveResponse remaining = State.Leases.TimeToLive(lease.ID, includeKeys: false);
            if (remaining.TTL > 0)
            {
                request.Checkpoints.Add(new LeaseCheckpoint { ID = lease.ID, RemainingTTL = remaining.TTL });
            }
        }

        if (request.Checkpoints.Count == 0)
        {
            return;
        }

        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ProposeInternal(new InternalRequest { LeaseCheckpoint = request }, _ => applied.TrySetResult());
        try
        {
            await applied.Task.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Shutting down anyway; leases resume from their last periodic checkpoint.
        }
    }
}
