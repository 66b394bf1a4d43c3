using Cairn.Protocol.Grpc;
namespace Cairn.Storage;

/// <summary>
/// An exception carrying an <see cref="EtcdError"/>: the server turns it into a gRPC status with etcd's exact code and
/// message. Thrown by reads (Range at a compacted revision, ...) and returned as a value by the state machine.
/// </summary>
public sealed class EtcdException : Exception
{
    /// <summary>Creates an exception for the given error.</summary>
    public EtcdException(EtcdError error)
        : base(error.Message)
    {
        Error = error;
    }

    /// <summary>Creates an exception for an ad-hoc error with the given code and message.</summary>
    public EtcdException(GrpcStatusCode code, string message)
        : this(new EtcdError(code, message))
    {
    }

    /// <summary>The etcd error.</summary>
    public EtcdError Error { get; }

    /// <summary>The gRPC status code.</summary>
    public GrpcStatusCode Code => Error.Code;
}
