using System.Net.Http.Headers;
using Cairn.Protocol.Grpc;

namespace Cairn.Client.Grpc;

/// <summary>Headers shared by the request bodies.</summary>
internal static class GrpcContentHeaders
{
    public static void SetGrpcContentType(HttpContentHeaders headers) =>
        headers.TryAddWithoutValidation(GrpcHeaders.ContentType, GrpcHeaders.GrpcContentType);
}
