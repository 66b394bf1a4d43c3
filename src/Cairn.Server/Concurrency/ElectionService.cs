using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Server.Gateway;
using Cairn.Server.Grpc;
using Cairn.Server.Node;
using Google.Protobuf;

namespace Cairn.Server.Concurrency;

/// <summary>
/// etcd's <c>v3electionpb.Election</c> service (reference §4.10), the server-side form of clientv3's
/// concurrency.Election: candidates are keys <c>name/&lt;lease hex&gt;</c>; the leader is the oldest one.
/// </summary>
public sealed partial class ElectionService
{
    private readonly RecipeClient _client;

    /// <summary>Creates the service for a member.</summary>
    public ElectionService(IEtcdNode node, ConcurrencyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        options ??= new ConcurrencyOptions();
        options.Validate();
        _client = new RecipeClient(node, options);
    }

    /// <summary>Registers Campaign, Proclaim, Leader, Observe and Resign for gRPC and the JSON gateway.</summary>
    public void Register(GatewayServiceRegistry services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddUnary<CampaignRequest, CampaignResponse>(EtcdMethods.Election.Campaign, CampaignRequest.Parser, CampaignAsync);
        services.AddUnary<ProclaimRequest, ProclaimResponse>(EtcdMethods.Election.Proclaim, ProclaimRequest.Parser, ProclaimAsync);
        services.AddUnary<LeaderRequest, LeaderResponse>(EtcdMethods.Election.Leader, LeaderRequest.Parser, LeaderAsync);
        services.AddServerStreaming<LeaderRequest, LeaderResponse>(EtcdMethods.Election.Observe, LeaderRequest.Parser, ObserveAsync);
        services.AddUnary<ResignRequest, ResignResponse>(EtcdMethods.Election.Resign, ResignRequest.Parser, ResignAsync);
    }

    /// <summary>
    /// Puts the candidate key (or adopts it if this lease already campaigns, proclaiming the new value) and returns
    /// once every older candidate is gone. Lease 0 gets a server-granted 60 s lease, as in etcd.
    /// </summary>
    public async ValueTask<CampaignResponse> CampaignAsync(CampaignRequest request, ServerCallContext call)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        CancellationToken cancellationToken = call.CancellationToken;
        long leaseId = request.Lease != 0 ? request.Lease : await _client.GrantSessionLeaseAsync(cancellationToken).ConfigureAwait(false);
        ByteString prefix = RecipeClient.Prefix(request.Name);
        var leader = new LeaderKey { Name = request.Name, Key = RecipeClient.SessionKey(prefix, leaseId), Lease = leaseId };

        TxnResponse attempt = await _client.TxnAsync(CampaignTxn(leader, request.Value), cancellationToken).ConfigureAwait(false);
        leader.Rev = attempt.Header.Revision;
        if (!attempt.Succeeded)
        {
            KeyValue existing = attempt.Responses[0].ResponseRange.Kvs[0];
            leader.Rev = existing.CreateRevision;
            if (existing.Value != request.Value)
            {
                await ProclaimOrResignAsync(leader, request.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            await _client.WaitDeletesAsync(prefix, leader.Rev - 1, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // etcd resigns when the campaigner gave up, with a context that outlives the call.
            await ResignQuietlyAsync(leader).ConfigureAwait(false);
            throw;
        }

        return new CampaignResponse { Header = attempt.Header, Leader = leader };
    }

    /// <summary>Rewrites the leader's value while it still holds the key it campaigned with; else <c>election: not leader</c>.</summary>
    public async ValueTask<ProclaimResponse> ProclaimAsync(ProclaimRequest request, ServerCallContext call)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        LeaderKey leader = request.Leader ?? throw ConcurrencyErrors.Unknown(ConcurrencyErrors.MissingLeaderKey);
        ResponseHeader header = await ProclaimCoreAsync(leader, request.Value, call.CancellationToken).ConfigureAwait(false);
        return new ProclaimResponse { Header = header };
    }

    /// <summary>The current leader's key-value (the oldest candidate); <c>election: no leader</c> when there is none.</summary>
    public async ValueTask<LeaderResponse> LeaderAsync(LeaderRequest request, ServerCallContext call)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        RangeResponse first = await _client.FirstCreatedAsync(RecipeClient.Prefix(request.Name), call.CancellationToken).ConfigureAwait(false);
        return first.Kvs.Count == 0
            ? throw ConcurrencyErrors.Unknown(ConcurrencyErrors.NoLeader)
            : new LeaderResponse { Header = first.Header, Kv = first.Kvs[0] };
    }

    /// <summary>Deletes the leader key if it is still the one the leader campaigned with; no error otherwise (etcd).</summary>
    public async ValueTask<ResignResponse> ResignAsync(ResignRequest request, ServerCallContext call)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        LeaderKey leader = request.Leader ?? throw ConcurrencyErrors.Unknown(ConcurrencyErrors.MissingLeaderKey);
        TxnResponse resigned = await _client.TxnAsync(ResignTxn(leader), call.CancellationToken).ConfigureAwait(false);
        return new ResignResponse { Header = resigned.Header };
    }

    private async Task<ResponseHeader> ProclaimCoreAsync(LeaderKey leader, ByteString value, CancellationToken cancellationToken)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(CreatedAt(leader));
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = leader.Key, Value = value, Lease = leader.Lease } });
        TxnResponse proclaimed = await _client.TxnAsync(txn, cancellationToken).ConfigureAwait(false);
        return proclaimed.Succeeded ? proclaimed.Header : throw ConcurrencyErrors.Unknown(ConcurrencyErrors.NotLeader);
    }

    private async Task ProclaimOrResignAsync(LeaderKey leader, ByteString value, CancellationToken cancellationToken)
    {
        try
        {
            await ProclaimCoreAsync(leader, value, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await ResignQuietlyAsync(leader).ConfigureAwait(false);
            throw;
        }
    }

    private async Task ResignQuietlyAsync(LeaderKey leader)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.TxnAsync(ResignTxn(leader), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort, as in etcd: the key still goes away with its lease.
        }
    }

    /// <summary>clientv3's Election.Campaign transaction: create the candidate key if absent, else read it.</summary>
    private static TxnRequest CampaignTxn(LeaderKey leader, ByteString value)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = leader.Key,
            Target = Compare.Types.CompareTarget.Create,
            Result = Compare.Types.CompareResult.Equal,
            CreateRevision = 0,
        });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = leader.Key, Value = value, Lease = leader.Lease } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = leader.Key } });
        return txn;
    }

    private static TxnRequest ResignTxn(LeaderKey leader)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(CreatedAt(leader));
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = leader.Key } });
        return txn;
    }

    private static Compare CreatedAt(LeaderKey leader) => new()
    {
        Key = leader.Key,
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = leader.Rev,
    };
}
