using Cairn.Protocol.Grpc;
using Cairn.Server.Grpc;
using Cairn.Server.Node;

namespace Cairn.Server.Services;

/// <summary>
/// etcd's require-leader rule for calls and streams with <c>hasleader: true</c> (clientv3's <c>WithRequireLeader</c>:
/// kube-apiserver's watches, every Go client's lease keepalives): refused at once without a leader, and ended with
/// Unavailable "etcdserver: no leader" once the member has had no leader for several checks in a row, so the client
/// moves to a member that has one.
/// </summary>
public static class LeaderMonitor
{
    /// <summary>etcd's message for a call that requires a leader on a member that has none.</summary>
    public const string NoLeaderMessage = "etcdserver: no leader";

    /// <summary>etcd's unary rule: a call with <c>hasleader: true</c> on a member without a leader is refused at once.</summary>
    public static Func<ServerCallContext, RpcException?> RequireLeaderWhenAsked(IEtcdNode node) =>
        call => call.RequiresLeader && !node.HasLeader ? new RpcException(GrpcStatusCode.Unavailable, NoLeaderMessage) : null;

    /// <summary>Throws "no leader" when <paramref name="node"/> knows no leader now.</summary>
    public static void RequireLeader(IEtcdNode node)
    {
        if (!node.HasLeader)
        {
            throw new RpcException(GrpcStatusCode.Unavailable, NoLeaderMessage);
        }
    }

    /// <summary>Checks every <paramref name="interval"/>; throws "no leader" after <paramref name="leaderlessChecks"/>
    /// checks in a row found none. Runs until cancelled otherwise.</summary>
    public static async Task FailWhenLeaderlessAsync(IEtcdNode node, TimeSpan interval, int leaderlessChecks, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        int leaderless = 0;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            leaderless = node.HasLeader ? 0 : leaderless + 1;
            if (leaderless >= leaderlessChecks)
            {
                throw new RpcException(GrpcStatusCode.Unavailable, NoLeaderMessage);
            }
        }
    }
}
