using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Server.Grpc;

/// <summary>Reads streamed requests from Kestrel's request body pipe.</summary>
internal sealed class HttpGrpcStreamReader<T>(ServerCallContext call, MessageParser<T> parser, IGrpcServerMetrics? metrics) : IGrpcStreamReader<T>
    where T : class, IMessage<T>
{
    public async ValueTask<T?> ReadAsync(CancellationToken cancellationToken = default)
    {
        CancellationToken token = cancellationToken.CanBeCanceled ? cancellationToken : call.CancellationToken;
        T? message = await GrpcPipeMessageReader.ReadAsync(call.HttpContext.Request.BodyReader, parser, call.ReadOptions, token).ConfigureAwait(false);
        if (message is not null)
        {
            metrics?.MessageReceived(call.Method);
        }

        return message;
    }
}
