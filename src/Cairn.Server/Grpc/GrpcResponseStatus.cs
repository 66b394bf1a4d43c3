using System.Globalization;
using Cairn.Protocol.Grpc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Cairn.Server.Grpc;

/// <summary>Writes a call's final status: as trailers after a response, or as a trailers-only response (status in the headers, no body).</summary>
internal static class GrpcResponseStatus
{
    private static readonly StringValues GrpcContentType = new(GrpcHeaders.GrpcContentType);

    // Pre-built header values so the hot path does not format numbers.
    private static readonly StringValues[] StatusValues = BuildStatusValues();

    /// <summary>The content type every gRPC response carries.</summary>
    public static StringValues ContentType => GrpcContentType;

    /// <summary>
    /// Ends the call with <paramref name="code"/>: in the trailers once a message has been written (even if not yet
    /// flushed, Kestrel has not "started" the response then), else as a trailers-only response.
    /// </summary>
    public static void Write(HttpResponse response, GrpcStatusCode code, string? message, bool messagesWritten)
    {
        IHeaderDictionary target;
        if (messagesWritten || response.HasStarted)
        {
            target = response.HttpContext.Features.Get<IHttpResponseTrailersFeature>()?.Trailers
                ?? throw new InvalidOperationException("the HTTP/2 transport does not support trailers");
        }
        else
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.Headers.ContentType = GrpcContentType;
            target = response.Headers;
        }

        target.GrpcStatus = StatusValue(code);
        if (!string.IsNullOrEmpty(message))
        {
            target.GrpcMessage = GrpcStatusMessage.Encode(message);
        }
    }

    private static StringValues StatusValue(GrpcStatusCode code)
    {
        int value = (int)code;
        return (uint)value < (uint)StatusValues.Length ? StatusValues[value] : new StringValues(value.ToString(CultureInfo.InvariantCulture));
    }

    private static StringValues[] BuildStatusValues()
    {
        var values = new StringValues[(int)GrpcStatusCode.Unauthenticated + 1];
        for (int code = 0; code < values.Length; code++)
        {
            values[code] = new StringValues(code.ToString(CultureInfo.InvariantCulture));
        }

        return values;
    }
}
