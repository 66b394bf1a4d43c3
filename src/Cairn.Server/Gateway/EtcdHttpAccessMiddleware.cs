using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Gateway;

/// <summary>
/// etcd's access controller in front of every HTTP (non-gRPC) request on the client port: rewrites <c>/v3beta/</c> to
/// <c>/v3/</c>, adds the CORS headers of etcd's default <c>--cors=*</c>, and answers <c>OPTIONS</c> with an empty 200.
/// </summary>
internal sealed class EtcdHttpAccessMiddleware(RequestDelegate next)
{
    private const string LegacyPrefix = "/v3beta/";

    public Task InvokeAsync(HttpContext http)
    {
        HttpRequest request = http.Request;
        string? path = request.Path.Value;
        if (path is not null && path.StartsWith(LegacyPrefix, StringComparison.Ordinal))
        {
            request.Path = new PathString(JsonGatewayMiddleware.PathPrefix + path[LegacyPrefix.Length..]);
        }

        IHeaderDictionary headers = http.Response.Headers;
        headers.AccessControlAllowMethods = "POST, GET, OPTIONS, PUT, DELETE";
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowHeaders = "accept, content-type, authorization";
        if (HttpMethods.IsOptions(request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentLength = 0;
            return Task.CompletedTask;
        }

        return next(http);
    }
}
