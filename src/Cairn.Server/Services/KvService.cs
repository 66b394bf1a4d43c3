using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Server.Grpc;
using Cairn.Server.Node;
using Cairn.Storage;
using Cairn.Storage.Mvcc;
using Cairn.Storage.StateMachine;

namespace Cairn.Server.Services;

/// <summary>
/// <c>etcdserverpb.KV</c>: reads are served from the local state (after a ReadIndex barrier unless serializable);
/// writes are validated as etcd's API layer does, then replicated through raft and answered with the applied result.
/// </summary>
public sealed class KvService
{
    private readonly EtcdNode _node;

    /// <summary>Creates the service for <paramref name="node"/>.</summary>
    public KvService(EtcdNode node) => _node = node;

    /// <summary>Range.</summary>
    public ValueTask<RangeResponse> RangeAsync(RangeRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        Validate(request, static r => RequestValidation.CheckRange(r));
        return request.Serializable
            ? new ValueTask<RangeResponse>(ReadRange(request))
            : LinearizableRangeAsync(request, call);
    }

    /// <summary>Put.</summary>
    public async ValueTask<PutResponse> PutAsync(PutRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        Validate(request, static r => RequestValidation.CheckPut(r));
        ApplyResult result = await _node.ProposeAsync(new InternalRequest { Put = request }, call.CancellationToken).ConfigureAwait(false);
        return (PutResponse)result.Response!;
    }

    /// <summary>DeleteRange.</summary>
    public async ValueTask<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        Validate(request, static r => RequestValidation.CheckDeleteRange(r));
        ApplyResult result = await _node.ProposeAsync(new InternalRequest { DeleteRange = request }, call.CancellationToken).ConfigureAwait(false);
        return (DeleteRangeResponse)result.Response!;
    }

    /// <summary>Txn: a read-only txn is served locally (after a barrier unless every range is serializable); any other
    /// goes through raft.</summary>
    public async ValueTask<TxnResponse> TxnAsync(TxnRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        Validate((request, _node.Options.MaxTxnOps), static r => RequestValidation.CheckTxn(r.request, r.MaxTxnOps));
        if (MvccStore.IsReadOnly(request))
        {
            if (!IsSerializable(request))
            {
                await _node.ReadBarrierAsync(call.CancellationToken).ConfigureAwait(false);
            }

            TxnResponse response = Read((_node.State.Store, request), static r => r.Store.ReadOnlyTxn(r.request));
            _node.FillHeader(response.Header);
            return response;
        }

        ApplyResult result = await _node.ProposeAsync(new InternalRequest { Txn = request }, call.CancellationToken).ConfigureAwait(false);
        return (TxnResponse)result.Response!;
    }

    /// <summary>Compact; with <c>physical</c> it returns once the old revisions are purged.</summary>
    public async ValueTask<CompactionResponse> CompactAsync(CompactionRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        ApplyResult result = await _node.ProposeAsync(new InternalRequest { Compaction = request }, call.CancellationToken).ConfigureAwait(false);
        if (request.Physical && result.PhysicalCompaction is Task purged)
        {
            await purged.WaitAsync(call.CancellationToken).ConfigureAwait(false);
        }

        return (CompactionResponse)result.Response!;
    }

    private async ValueTask<RangeResponse> LinearizableRangeAsync(RangeRequest request, ServerCallContext call)
    {
        await _node.ReadBarrierAsync(call.CancellationToken).ConfigureAwait(false);
        return ReadRange(request);
    }

    private RangeResponse ReadRange(RangeRequest request)
    {
        RangeResponse response = Read((_node.State.Store, request), static r => r.Store.Range(r.request));
        _node.FillHeader(response.Header);
        return response;
    }

    /// <summary>etcd's isTxnSerializable: every op of both branches is a serializable range.</summary>
    private static bool IsSerializable(TxnRequest request)
    {
        foreach (RequestOp op in request.Success)
        {
            if (op.RequestCase != RequestOp.RequestOneofCase.RequestRange || !op.RequestRange.Serializable)
            {
                return false;
            }
        }

        foreach (RequestOp op in request.Failure)
        {
            if (op.RequestCase != RequestOp.RequestOneofCase.RequestRange || !op.RequestRange.Serializable)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs a validation of the storage layer and turns its <see cref="EtcdException"/> into the gRPC error
    /// (static lambdas: no allocation per call).</summary>
    internal static void Validate<TRequest>(TRequest request, Action<TRequest> check)
    {
        try
        {
            check(request);
        }
        catch (EtcdException invalid)
        {
            throw invalid.ToRpcException();
        }
    }

    /// <summary>Runs a state read and turns its <see cref="EtcdException"/> into the gRPC error.</summary>
    internal static T Read<TState, T>(TState state, Func<TState, T> read)
    {
        try
        {
            return read(state);
        }
        catch (EtcdException failed)
        {
            throw failed.ToRpcException();
        }
    }
}
