using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Leases;

namespace Cairn.Server.Node;

/// <summary>
/// Lease clocks are leader-local (Lessor): the leader proposes the revocation of expired leases and periodic
/// remaining-TTL checkpoints through raft; keepalives renew on the leader without raft.
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
    /// A keepalive (LeaseKeepAlive): restarts the lease's clock on the leader and returns the granted TTL, or 0 for an
    /// unknown or expired lease (etcd answers those with TTL 0, not an error). Fails with "no leader" when this member
    /// is not the leader (a follower would forward to the leader; that needs the peer transport).
    /// </summary>
    public long RenewLease(long leaseId)
    {
        ThrowIfStopped();
        LeaseRenewResult result = State.Leases.Renew(leaseId);
        switch (result.Status)
        {
            case LeaseRenewStatus.Renewed:
                if (result.ClearCheckpoint)
                {
                    // A stale checkpointed TTL must not outlive the renewal on a later leader.
                    var clear = new LeaseCheckpointRequest();
                    clear.Checkpoints.Add(new LeaseCheckpoint { ID = leaseId, RemainingTTL = 0 });
                    ProposeInternal(new InternalRequest { LeaseCheckpoint = clear });
                }

                return result.TtlSeconds;
            case LeaseRenewStatus.NotFound:
                return 0;
            default:
                throw NodeErrors.NoLeader.ToRpcException();
        }
    }

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
