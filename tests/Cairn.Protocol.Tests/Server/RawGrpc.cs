using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Server;

/// <summary>gRPC requests built by hand with HttpClient, independent of Cairn.Client, to poke at the server's edges.</summary>
internal static class RawGrpc
{
    public static byte[] Frame(IMessage message, byte flag = 0)
    {
        byte[] payload = message.ToByteArray();
        return Frame(payload, flag);
    }

    public static byte[] Frame(byte[] payload, byte flag = 0)
    {
        byte[] frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static HttpRequestMessage Request(string url, byte[] body, string contentType = "application/grpc")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response.</summary>
    public static string? Status(HttpResponseMessage response) => Value(response, "grpc-status");

    public static string? Message(HttpResponseMessage response)
    {
        string? encoded = Value(response, "grpc-message");
        return encoded is null ? null : Cairn.Protocol.Grpc.GrpcStatusMessage.Decode(encoded);
    }

    private static string? Value(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var values) || response.Headers.TryGetValues(name, out values)
            ? values.First()
            : null;
}
