using Cairn.Client.Grpc;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;

namespace Cairn.Client;

/// <summary>Calls to the server-side lock service (<c>v3lockpb.Lock</c>). Errors are thrown as <see cref="Cairn.Protocol.Grpc.RpcException"/> with the server's code and message.</summary>
public sealed class LockClient
{
    private readonly GrpcCallInvoker _invoker;

    internal LockClient(GrpcCallInvoker invoker) => _invoker = invoker;

    /// <summary>Calls <c>Lock</c>.</summary>
    public Task<LockResponse> LockAsync(LockRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Lock.LockMethod, request, LockResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>Unlock</c>.</summary>
    public Task<UnlockResponse> UnlockAsync(UnlockRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Lock.Unlock, request, UnlockResponse.Parser, RetryPolicy.NonRepeatable, options);
}
