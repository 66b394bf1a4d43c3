using Cairn.Server.Grpc;
using Google.Protobuf;

namespace Cairn.Server.Gateway;

/// <summary>
/// A bidirectional call's requests from a JSON body: one request per concatenated JSON value. As in grpc-gateway, a
/// value that does not decode after the first one ends the request side quietly (the client sees the stream go on
/// with what it already asked for).
/// </summary>
internal sealed class JsonStreamReader<T>(JsonValueReader values, T? first, GatewayCallRunner runner, ServerCallContext call) : IGrpcStreamReader<T>
    where T : class, IMessage<T>, new()
{
    private T? _first = first;
    private bool _ended = first is null;

    public async ValueTask<T?> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_first is { } pending)
        {
            _first = null;
            return Received(pending);
        }

        if (_ended)
        {
            return null;
        }

        CancellationToken token = cancellationToken.CanBeCanceled ? cancellationToken : call.CancellationToken;
        try
        {
            string? json = await values.ReadNextAsync(token).ConfigureAwait(false);
            if (json is not null)
            {
                return Received(runner.Decode<T>(json));
            }
        }
        catch (Exception exception) when (exception is GatewayRequestException or Cairn.Protocol.Grpc.RpcException)
        {
            // grpc-gateway logs the decode error and half-closes the gRPC stream.
        }

        _ended = true;
        return null;
    }

    private T Received(T message)
    {
        runner.Metrics?.MessageReceived(call.Method);
        return message;
    }
}
