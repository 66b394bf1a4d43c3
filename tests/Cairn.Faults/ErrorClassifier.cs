using Cairn.Linearizability;
using Cairn.Protocol.Grpc;

namespace Cairn.Faults;

/// <summary>
/// Decides from an exception whether a request definitely did not take effect (<see cref="Outcome.Failed"/>)
/// or may have (<see cref="Outcome.Unknown"/>), following etcd's error table: validation, auth and
/// precondition errors are raised before the request is proposed; timeouts, leader changes, unavailability
/// and lost connections can hit after the proposal was committed. When in doubt: unknown (that can only
/// make the check weaker, never produce a false violation).
/// </summary>
public static class ErrorClassifier
{
    /// <summary>Classifies <paramref name="error"/> thrown by a KV call.</summary>
    public static Outcome Classify(Exception error)
    {
        if (error is not RpcException rpc)
        {
            return Outcome.Unknown;
        }

        // The client reports a connection that could not even be opened this way: nothing was sent.
        if (rpc.StatusCode == GrpcStatusCode.Unavailable && rpc.Message.Contains("transport: Error while dialing", StringComparison.Ordinal))
        {
            return Outcome.Failed;
        }

        return Classify(rpc.StatusCode);
    }

    /// <summary>Classifies a gRPC status code.</summary>
    public static Outcome Classify(GrpcStatusCode code) => code switch
    {
        GrpcStatusCode.InvalidArgument or GrpcStatusCode.NotFound or GrpcStatusCode.AlreadyExists
            or GrpcStatusCode.PermissionDenied or GrpcStatusCode.FailedPrecondition or GrpcStatusCode.OutOfRange
            or GrpcStatusCode.Unimplemented or GrpcStatusCode.Unauthenticated or GrpcStatusCode.ResourceExhausted => Outcome.Failed,
        _ => Outcome.Unknown,
    };
}
