using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Server.Grpc;
using Cairn.Server.Node;
using Cairn.Storage.StateMachine;

namespace Cairn.Server.Services;

/// <summary>
/// <c>etcdserverpb.Lease</c>: grants and revocations go through raft (the ID of a grant with ID 0 is chosen before
/// proposing); keepalives and TimeToLive are answered by the leader without raft (a follower forwards them); Leases
/// reads the local lease table.
/// </summary>
public sealed class LeaseService
{
    private readonly EtcdNode _node;

    /// <summary>Creates the service for <paramref name="node"/>.</summary>
    public LeaseService(EtcdNode node) => _node = node;

    /// <summary>LeaseGrant (etcd's TTL rules are applied by the state machine: raised to the minimum, "too large
    /// lease TTL" above 9,000,000,000 s, "lease already exists" for a used ID).</summary>
    public async ValueTask<LeaseGrantResponse> LeaseGrantAsync(LeaseGrantRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        ApplyResult result = await _node.ProposeAsync(new InternalRequest { LeaseGrant = request }, call.CancellationToken).ConfigureAwait(false);
        return (LeaseGrantResponse)result.Response!;
    }

    /// <summary>LeaseRevoke: deletes the attached keys in one revision; an unknown lease is NotFound.</summary>
    public async ValueTask<LeaseRevokeResponse> LeaseRevokeAsync(LeaseRevokeRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        ApplyResult result = await _node.ProposeAsync(new InternalRequest { LeaseRevoke = request }, call.CancellationToken).ConfigureAwait(false);
        return (LeaseRevokeResponse)result.Response!;
    }

    /// <summary>LeaseKeepAlive: one answer per request with the granted TTL, or TTL 0 for an unknown or expired lease
    /// (not an error; the stream goes on). A stream opened with <c>hasleader: true</c> (clientv3's lessor always sets
    /// it) ends with "no leader" once the member has had no leader for three election timeouts, as etcd's does.</summary>
    public async ValueTask LeaseKeepAliveAsync(IGrpcStreamReader<LeaseKeepAliveRequest> requests,
        IGrpcStreamWriter<LeaseKeepAliveResponse> responses, ServerCallContext call)
    {
        if (!call.RequiresLeader)
        {
            await KeepAliveLoopAsync(requests, responses, call.CancellationToken).ConfigureAwait(false);
            return;
        }

        LeaderMonitor.RequireLeader(_node);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken);
        Task serving = KeepAliveLoopAsync(requests, responses, stop.Token);
        Task leader = LeaderMonitor.FailWhenLeaderlessAsync(_node, _node.Options.TickInterval * _node.Options.ElectionTicks, 3, stop.Token);
        Task first = await Task.WhenAny(serving, leader).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await (first == serving ? leader : serving).ConfigureAwait(false);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // The other half ends with the cancellation; the first one's outcome is the call's.
        }

        await first.ConfigureAwait(false);
    }

    private async Task KeepAliveLoopAsync(IGrpcStreamReader<LeaseKeepAliveRequest> requests,
        IGrpcStreamWriter<LeaseKeepAliveResponse> responses, CancellationToken cancellationToken)
    {
        while (await requests.ReadAsync(cancellationToken).ConfigureAwait(false) is LeaseKeepAliveRequest request)
        {
            long ttl = await _node.KeepAliveAsync(request.ID, cancellationToken).ConfigureAwait(false);
            var response = new LeaseKeepAliveResponse { Header = _node.FillHeader(new ResponseHeader()), ID = request.ID, TTL = ttl };
            await responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>LeaseTimeToLive: remaining whole seconds on the leader's clock and the granted TTL (and the keys when
    /// asked); an unknown lease answers TTL -1, not an error. A follower asks the leader, as etcd does.</summary>
    public async ValueTask<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, ServerCallContext call)
    {
        LeaseTimeToLiveResponse response = await _node.LeaseTimeToLiveAsync(request, call.CancellationToken).ConfigureAwait(false);
        response.Header = _node.FillHeader(new ResponseHeader());
        return response;
    }

    /// <summary>LeaseLeases: every lease ID, from the local (replicated) lease table — etcd answers it locally too, so a
    /// member without a leader still lists its leases.</summary>
    public ValueTask<LeaseLeasesResponse> LeaseLeasesAsync(LeaseLeasesRequest request, ServerCallContext call)
    {
        LeaseLeasesResponse response = _node.State.Leases.Leases();
        response.Header = _node.FillHeader(new ResponseHeader());
        return new ValueTask<LeaseLeasesResponse>(response);
    }
}
