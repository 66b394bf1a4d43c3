using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Protocol.Internal;
using Cairn.Server.Gateway;
using Cairn.Server.Grpc;
using Cairn.Storage;
using Cairn.Storage.Leases;
using Cairn.Storage.StateMachine;
using Google.Protobuf;
using GrpcStatusCode = Cairn.Protocol.Grpc.GrpcStatusCode;

namespace Cairn.Server.Tests.Support;

/// <summary>
/// Test-only KV and Lease handlers over an <see cref="InProcessNode"/>, so the gateway, the clients and the recipes
/// have something to talk to before the real services are wired in. Not shipped; not a model of them.
/// </summary>
public sealed class HarnessKvService(InProcessNode node)
{
    private readonly LeaseIdGenerator _leaseIds = new(node.MemberId, 1);

    /// <summary>The token the last Authenticate call saw in its metadata (the gateway forwards Authorization).</summary>
    public string? LastSeenToken { get; private set; }

    public void Register(GatewayServiceRegistry services)
    {
        services.AddUnary<RangeRequest, RangeResponse>(EtcdMethods.KV.Range, RangeRequest.Parser, (request, _) => Read(() => node.State.Store.Range(request)));
        services.AddUnary<PutRequest, PutResponse>(EtcdMethods.KV.Put, PutRequest.Parser, (request, call) => Propose<PutResponse>(new InternalRequest { Put = request }, call));
        services.AddUnary<DeleteRangeRequest, DeleteRangeResponse>(EtcdMethods.KV.DeleteRange, DeleteRangeRequest.Parser,
            (request, call) => Propose<DeleteRangeResponse>(new InternalRequest { DeleteRange = request }, call));
        services.AddUnary<TxnRequest, TxnResponse>(EtcdMethods.KV.Txn, TxnRequest.Parser, (request, call) => Propose<TxnResponse>(new InternalRequest { Txn = request }, call));
        services.AddUnary<CompactionRequest, CompactionResponse>(EtcdMethods.KV.Compact, CompactionRequest.Parser,
            (request, call) => Propose<CompactionResponse>(new InternalRequest { Compaction = request }, call));
        services.AddUnary<LeaseGrantRequest, LeaseGrantResponse>(EtcdMethods.Lease.LeaseGrant, LeaseGrantRequest.Parser, GrantAsync);
        services.AddUnary<LeaseRevokeRequest, LeaseRevokeResponse>(EtcdMethods.Lease.LeaseRevoke, LeaseRevokeRequest.Parser,
            (request, call) => Propose<LeaseRevokeResponse>(new InternalRequest { LeaseRevoke = request }, call));
        services.AddUnary<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse>(EtcdMethods.Lease.LeaseTimeToLive, LeaseTimeToLiveRequest.Parser,
            (request, _) => Read(() => node.State.Leases.TimeToLive(request.ID, request.Keys)));
        services.AddBidiStreaming<LeaseKeepAliveRequest, LeaseKeepAliveResponse>(EtcdMethods.Lease.LeaseKeepAlive, LeaseKeepAliveRequest.Parser, KeepAliveAsync);
        services.AddUnary<AuthenticateRequest, AuthenticateResponse>(EtcdMethods.Auth.Authenticate, AuthenticateRequest.Parser, (request, call) =>
        {
            LastSeenToken = call.AuthToken;
            return ValueTask.FromResult(new AuthenticateResponse { Header = node.FillHeader(new ResponseHeader()), Token = call.AuthToken ?? "" });
        });
    }

    private ValueTask<T> Read<T>(Func<T> read)
        where T : class, IMessage
    {
        try
        {
            T response = read();
            if (response.Descriptor.FindFieldByName("header")?.Accessor.GetValue(response) is ResponseHeader header)
            {
                long revision = header.Revision;
                node.FillHeader(header).Revision = revision;
            }

            return ValueTask.FromResult(response);
        }
        catch (EtcdException failure)
        {
            throw new RpcException((GrpcStatusCode)(int)failure.Code, failure.Message);
        }
    }

    private async ValueTask<LeaseGrantResponse> GrantAsync(LeaseGrantRequest request, ServerCallContext call)
    {
        LeaseGrantRequest grant = request.Clone();
        if (grant.ID == 0)
        {
            grant.ID = _leaseIds.Next();
        }

        return await Propose<LeaseGrantResponse>(new InternalRequest { LeaseGrant = grant }, call);
    }

    private async ValueTask KeepAliveAsync(IGrpcStreamReader<LeaseKeepAliveRequest> requests, IGrpcStreamWriter<LeaseKeepAliveResponse> responses, ServerCallContext call)
    {
        while (await requests.ReadAsync() is { } request)
        {
            LeaseRenewResult renewed = node.State.Leases.Renew(request.ID);
            var response = new LeaseKeepAliveResponse { Header = node.FillHeader(new ResponseHeader()), ID = request.ID };
            if (renewed.Status == LeaseRenewStatus.Renewed)
            {
                response.TTL = renewed.TtlSeconds;
            }

            await responses.WriteAsync(response);
        }
    }

    private async ValueTask<T> Propose<T>(InternalRequest request, ServerCallContext call)
        where T : class, IMessage
    {
        ApplyResult result = await node.ProposeAsync(request, call.CancellationToken);
        if (result.Error is { } error)
        {
            throw new RpcException((GrpcStatusCode)(int)error.Code, error.Message);
        }

        return (T)result.Response!;
    }
}
