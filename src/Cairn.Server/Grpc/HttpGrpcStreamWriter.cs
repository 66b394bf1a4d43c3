using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Server.Grpc;

/// <summary>Writes streamed responses into Kestrel's response body pipe as length-prefixed gRPC messages.</summary>
internal sealed class HttpGrpcStreamWriter<T>(ServerCallContext call, IGrpcServerMetrics? metrics) : ResponseBodyStreamWriter<T>(call)
    where T : class, IMessage<T>
{
    protected override void WriteMessage(T message)
    {
        var response = Call.HttpContext.Response;
        if (!Call.ResponseMessagesWritten)
        {
            GrpcCallSetup.SetResponseHeaders(response, Call.WriteOptions.Compression);
        }

        GrpcMessageWriter.Write(response.BodyWriter, message, Call.WriteOptions);
        Call.ResponseMessagesWritten = true;
        metrics?.MessageSent(Call.Method);
    }
}
