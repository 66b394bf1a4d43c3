using Cairn.Client.Grpc;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;

namespace Cairn.Client;

/// <summary>Calls to maintenance (<c>etcdserverpb.Maintenance</c>). Errors are thrown as <see cref="Cairn.Protocol.Grpc.RpcException"/> with the server's code and message.</summary>
public sealed class MaintenanceClient
{
    private readonly GrpcCallInvoker _invoker;

    internal MaintenanceClient(GrpcCallInvoker invoker) => _invoker = invoker;

    /// <summary>Calls <c>Alarm</c>.</summary>
    public Task<AlarmResponse> AlarmAsync(AlarmRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Maintenance.Alarm, request, AlarmResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>Status</c>.</summary>
    public Task<StatusResponse> StatusAsync(StatusRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Maintenance.Status, request, StatusResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>Defragment</c>.</summary>
    public Task<DefragmentResponse> DefragmentAsync(DefragmentRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Maintenance.Defragment, request, DefragmentResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>Hash</c>.</summary>
    public Task<HashResponse> HashAsync(HashRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Maintenance.Hash, request, HashResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>HashKV</c>.</summary>
    public Task<HashKVResponse> HashKVAsync(HashKVRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Maintenance.HashKV, request, HashKVResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Starts <c>Snapshot</c> (a stream of <see cref="SnapshotResponse"/>).</summary>
    public Task<ServerStreamingCall<SnapshotResponse>> SnapshotAsync(SnapshotRequest request, CallOptions options = default) =>
        _invoker.ServerStreamingAsync<SnapshotRequest, SnapshotResponse>(EtcdMethods.Maintenance.Snapshot, request, SnapshotResponse.Parser, options);

    /// <summary>Calls <c>MoveLeader</c>.</summary>
    public Task<MoveLeaderResponse> MoveLeaderAsync(MoveLeaderRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Maintenance.MoveLeader, request, MoveLeaderResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>Downgrade</c>.</summary>
    public Task<DowngradeResponse> DowngradeAsync(DowngradeRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Maintenance.Downgrade, request, DowngradeResponse.Parser, RetryPolicy.NonRepeatable, options);
}
