using Cairn.Protocol.Grpc;
using Cairn.Storage;

namespace Cairn.Server.Node;

/// <summary>
/// The errors the node itself produces (etcd's exact codes and messages, reference §3.1), and the mapping of the
/// state machine's <see cref="EtcdError"/> onto a gRPC <see cref="RpcException"/>.
/// </summary>
public static class NodeErrors
{
    /// <summary>A proposal or linearizable read did not finish within the request timeout.</summary>
    public static readonly EtcdError Timeout = new(GrpcStatusCode.Unavailable, "etcdserver: request timed out");

    /// <summary>A proposal that never reached raft (no leader the whole time) ran out of time: etcd 3.4 waits in raft's
    /// Propose until its request timeout and returns the bare context error, which gRPC reports as Unknown.</summary>
    public static readonly EtcdError NotProposedInTime = new(GrpcStatusCode.Unknown, "context deadline exceeded");

    /// <summary>The member knows no leader (and the caller asked for one, or nothing can proceed without one).</summary>
    public static readonly EtcdError NoLeader = new(GrpcStatusCode.Unavailable, "etcdserver: no leader");

    /// <summary>The leader changed while a request was in flight.</summary>
    public static readonly EtcdError LeaderChanged = new(GrpcStatusCode.Unavailable, "etcdserver: leader changed");

    /// <summary>Too many proposals are waiting to be applied (the proposal queue limit).</summary>
    public static readonly EtcdError TooManyRequests = new(GrpcStatusCode.ResourceExhausted, "etcdserver: too many requests");

    /// <summary>The server is shutting down (or stopped after a fatal storage error).</summary>
    public static readonly EtcdError Stopped = new(GrpcStatusCode.Unavailable, "etcdserver: server stopped");

    /// <summary>MoveLeader sent to a member that is not the leader.</summary>
    public static readonly EtcdError NotLeader = new(GrpcStatusCode.FailedPrecondition, "etcdserver: not leader");

    /// <summary>MoveLeader to an unknown member or a learner.</summary>
    public static readonly EtcdError BadLeaderTransferee = new(GrpcStatusCode.FailedPrecondition, "etcdserver: bad leader transferee");

    /// <summary>A membership change that would leave too few started voters for a quorum (strict reconfig check).</summary>
    public static readonly EtcdError NotEnoughStartedMembers =
        new(GrpcStatusCode.FailedPrecondition, "etcdserver: re-configuration failed due to not enough started members");

    /// <summary>MemberPromote of a learner that has not caught up with the leader.</summary>
    public static readonly EtcdError LearnerNotReady =
        new(GrpcStatusCode.FailedPrecondition, "etcdserver: can only promote a learner member which is in sync with leader");

    /// <summary>A token was sent while authentication is disabled (etcd 3.4 still rejects it on most RPCs).</summary>
    public static readonly EtcdError InvalidAuthToken = new(GrpcStatusCode.Unauthenticated, "etcdserver: invalid auth token");

    /// <summary>The exception a gRPC handler throws for <paramref name="error"/>.</summary>
    public static RpcException ToRpcException(this EtcdError error) => new(error.Code, error.Message);

    /// <summary>The exception a gRPC handler throws for an <see cref="EtcdException"/> from a state read.</summary>
    public static RpcException ToRpcException(this EtcdException exception) =>
        new(exception.Code, exception.Message, exception);
}
