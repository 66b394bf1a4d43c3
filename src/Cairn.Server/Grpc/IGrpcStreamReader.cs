using Google.Protobuf;

namespace Cairn.Server.Grpc;

/// <summary>The request side of a bidirectional-streaming call. One read at a time.</summary>
/// <typeparam name="T">The request message type.</typeparam>
public interface IGrpcStreamReader<T>
    where T : class, IMessage<T>
{
    /// <summary>
    /// Reads the next request, or null once the client has half-closed its side. The token defaults to the call's
    /// (client cancel, deadline, connection loss).
    /// </summary>
    /// <exception cref="Cairn.Protocol.Grpc.RpcException">A malformed or oversized request message.</exception>
    ValueTask<T?> ReadAsync(CancellationToken cancellationToken = default);
}
