namespace Cairn.Protocol.Grpc;

/// <summary>
/// A gRPC call failed with a status. <see cref="Exception.Message"/> is the status message exactly as it travels in
/// <c>grpc-message</c> (e.g. <c>etcdserver: requested lease not found</c>), because etcd clients match errors by that text.
/// </summary>
/// <remarks>
/// Server handlers throw it to answer a call with an error status; the client throws it when a call ends with a
/// status other than OK.
/// </remarks>
public sealed class RpcException : Exception
{
    /// <summary>Creates the exception for a status.</summary>
    /// <param name="statusCode">The gRPC status code; never <see cref="GrpcStatusCode.OK"/>.</param>
    /// <param name="message">The status message, sent verbatim (percent-encoded on the wire).</param>
    public RpcException(GrpcStatusCode statusCode, string message)
        : base(message)
    {
        Invariant.Check(statusCode != GrpcStatusCode.OK, "an RpcException never carries status OK");
        StatusCode = statusCode;
    }

    /// <summary>Creates the exception for a status, keeping the exception that caused it.</summary>
    public RpcException(GrpcStatusCode statusCode, string message, Exception innerException)
        : base(message, innerException)
    {
        Invariant.Check(statusCode != GrpcStatusCode.OK, "an RpcException never carries status OK");
        StatusCode = statusCode;
    }

    /// <summary>The gRPC status code.</summary>
    public GrpcStatusCode StatusCode { get; }

    /// <summary>
    /// The error as grpc-go formats it: <c>rpc error: code = NotFound desc = etcdserver: requested lease not found</c>.
    /// </summary>
    public string GoErrorString => FormatGoError(StatusCode, Message);

    /// <summary>Formats a status the way grpc-go's <c>status.Error(...).Error()</c> does.</summary>
    public static string FormatGoError(GrpcStatusCode statusCode, string message) =>
        "rpc error: code = " + statusCode.GoName() + " desc = " + message;
}
