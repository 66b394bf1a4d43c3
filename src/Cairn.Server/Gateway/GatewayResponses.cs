using System.Globalization;
using System.Text;
using Cairn.Protocol.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Gateway;

/// <summary>What the gateway writes: unary results, errors, and the plain-text 404/405 of Go's HTTP server.</summary>
internal static class GatewayResponses
{
    public const string JsonContentType = "application/json";

    /// <summary>A unary result: 200, one JSON object, no trailing newline.</summary>
    public static Task WriteMessageAsync(HttpResponse response, IMessage message)
    {
        byte[] body = Encoding.UTF8.GetBytes(EtcdJson.Format(message));
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, response.HttpContext.RequestAborted).AsTask();
    }

    /// <summary>A call that failed before any result: the mapped HTTP status and <c>{"error":m,"message":m,"code":n}</c>.</summary>
    public static Task WriteErrorAsync(HttpResponse response, GrpcStatusCode code, string message)
    {
        byte[] body = ErrorBody(code, message);
        response.StatusCode = GatewayStatus.HttpStatusFor(code);
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, response.HttpContext.RequestAborted).AsTask();
    }

    /// <summary>A stream error after or instead of results: <c>{"error":{"grpc_code":..,"http_code":..,"message":..,"http_status":..}}</c>, no newline.</summary>
    public static byte[] StreamErrorChunk(GrpcStatusCode code, string message)
    {
        int httpStatus = GatewayStatus.HttpStatusFor(code);
        var json = new StringBuilder("{\"error\":{");
        json.Append("\"grpc_code\":").Append(((int)code).ToString(CultureInfo.InvariantCulture));
        json.Append(",\"http_code\":").Append(httpStatus.ToString(CultureInfo.InvariantCulture));
        AppendNonEmpty(json, "message", message);
        AppendNonEmpty(json, "http_status", GatewayStatus.HttpStatusText(httpStatus));
        return Encoding.UTF8.GetBytes(json.Append("}}").ToString());
    }

    /// <summary>Go's <c>http.Error</c>: text/plain, nosniff, the status text and a newline.</summary>
    public static Task WritePlainErrorAsync(HttpResponse response, int status, string text)
    {
        byte[] body = Encoding.UTF8.GetBytes(text + "\n");
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, response.HttpContext.RequestAborted).AsTask();
    }

    private static byte[] ErrorBody(GrpcStatusCode code, string message)
    {
        var json = new StringBuilder("{");
        AppendNonEmpty(json, "error", message);
        AppendNonEmpty(json, "message", message);
        if (code != GrpcStatusCode.OK)
        {
            json.Append(json.Length > 1 ? "," : "").Append("\"code\":").Append(((int)code).ToString(CultureInfo.InvariantCulture));
        }

        return Encoding.UTF8.GetBytes(json.Append('}').ToString());
    }

    // grpc-gateway marshals these bodies as protobuf messages, which leave out empty strings and zero numbers.
    private static void AppendNonEmpty(StringBuilder json, string name, string value)
    {
        if (value.Length == 0)
        {
            return;
        }

        if (json[^1] != '{')
        {
            json.Append(',');
        }

        GoJson.AppendQuoted(json.Append('"').Append(name).Append("\":"), value);
    }
}
