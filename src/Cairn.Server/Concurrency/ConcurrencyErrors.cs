using Cairn.Protocol.Grpc;
using Cairn.Storage;
using GrpcStatusCode = Cairn.Protocol.Grpc.GrpcStatusCode;

namespace Cairn.Server.Concurrency;

/// <summary>
/// The Lock and Election services run etcd's client recipes inside the server, and etcd returns whatever its embedded
/// client reported as code Unknown with the inner message (reference §3.2). These are those errors.
/// </summary>
internal static class ConcurrencyErrors
{
    /// <summary>etcd's <c>ErrElectionNoLeader</c>.</summary>
    public const string NoLeader = "election: no leader";

    /// <summary>etcd's <c>ErrElectionNotLeader</c>.</summary>
    public const string NotLeader = "election: not leader";

    /// <summary>etcd's <c>ErrMissingLeaderKey</c>.</summary>
    public const string MissingLeaderKey = "\"leader\" field must be provided";

    /// <summary>An error as the Lock/Election services report it: code Unknown, the message unchanged.</summary>
    public static RpcException Unknown(string message) => new(GrpcStatusCode.Unknown, message);

    /// <summary>Rewraps a failure of an inner KV/lease operation the way etcd's embedded client surfaces it.</summary>
    public static RpcException Wrap(Exception failure) => failure switch
    {
        RpcException rpc => Unknown(rpc.Message),
        EtcdException etcd => Unknown(etcd.Message),
        _ => Unknown(failure.Message),
    };
}
