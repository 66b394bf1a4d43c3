namespace Cairn.Protocol.Grpc;

/// <summary>
/// The names grpc-go prints for status codes. etcd embeds grpc-go's error strings in some responses
/// (e.g. watch <c>cancel_reason</c>: <c>rpc error: code = PermissionDenied desc = ...</c>), so Cairn must spell them the same way.
/// </summary>
public static class GrpcStatusCodeNames
{
    /// <summary>The grpc-go name of <paramref name="code"/>, e.g. <c>InvalidArgument</c>; <c>Code(N)</c> for unknown numbers.</summary>
    public static string GoName(this GrpcStatusCode code) => code switch
    {
        GrpcStatusCode.OK => "OK",
        GrpcStatusCode.Canceled => "Canceled",
        GrpcStatusCode.Unknown => "Unknown",
        GrpcStatusCode.InvalidArgument => "InvalidArgument",
        GrpcStatusCode.DeadlineExceeded => "DeadlineExceeded",
        GrpcStatusCode.NotFound => "NotFound",
        GrpcStatusCode.AlreadyExists => "AlreadyExists",
        GrpcStatusCode.PermissionDenied => "PermissionDenied",
        GrpcStatusCode.ResourceExhausted => "ResourceExhausted",
        GrpcStatusCode.FailedPrecondition => "FailedPrecondition",
        GrpcStatusCode.Aborted => "Aborted",
        GrpcStatusCode.OutOfRange => "OutOfRange",
        GrpcStatusCode.Unimplemented => "Unimplemented",
        GrpcStatusCode.Internal => "Internal",
        GrpcStatusCode.Unavailable => "Unavailable",
        GrpcStatusCode.DataLoss => "DataLoss",
        GrpcStatusCode.Unauthenticated => "Unauthenticated",
        _ => "Code(" + ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
    };
}
