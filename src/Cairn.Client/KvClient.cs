using Cairn.Client.Grpc;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;

namespace Cairn.Client;

/// <summary>Calls to the key-value API (<c>etcdserverpb.KV</c>). Errors are thrown as <see cref="Cairn.Protocol.Grpc.RpcException"/> with the server's code and message.</summary>
public sealed class KvClient
{
    private readonly GrpcCallInvoker _invoker;

    internal KvClient(GrpcCallInvoker invoker) => _invoker = invoker;

    /// <summary>Calls <c>Range</c>.</summary>
    public Task<RangeResponse> RangeAsync(RangeRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.KV.Range, request, RangeResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>Put</c>.</summary>
    public Task<PutResponse> PutAsync(PutRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.KV.Put, request, PutResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>DeleteRange</c>.</summary>
    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.KV.DeleteRange, request, DeleteRangeResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>Txn</c>.</summary>
    public Task<TxnResponse> TxnAsync(TxnRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.KV.Txn, request, TxnResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>Compact</c>.</summary>
    public Task<CompactionResponse> CompactAsync(CompactionRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.KV.Compact, request, CompactionResponse.Parser, RetryPolicy.NonRepeatable, options);
}
