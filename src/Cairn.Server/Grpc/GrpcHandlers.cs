using Google.Protobuf;

namespace Cairn.Server.Grpc;

/// <summary>Handles a unary call: return the response, or throw <see cref="Cairn.Protocol.Grpc.RpcException"/> for an error status.</summary>
public delegate ValueTask<TResponse> UnaryHandler<TRequest, TResponse>(TRequest request, ServerCallContext context)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>;

/// <summary>Handles a server-streaming call: write responses, then return (status OK) or throw for an error status.</summary>
public delegate ValueTask ServerStreamingHandler<TRequest, TResponse>(TRequest request, IGrpcStreamWriter<TResponse> responses, ServerCallContext context)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>;

/// <summary>
/// Handles a bidirectional-streaming call. Requests and responses are independent: read requests until
/// <see cref="IGrpcStreamReader{T}.ReadAsync"/> returns null (the client half-closed), write responses at any time.
/// Returning ends the call with status OK.
/// </summary>
public delegate ValueTask BidiStreamingHandler<TRequest, TResponse>(IGrpcStreamReader<TRequest> requests, IGrpcStreamWriter<TResponse> responses, ServerCallContext context)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>;
