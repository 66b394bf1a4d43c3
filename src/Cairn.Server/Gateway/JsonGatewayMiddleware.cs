using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Gateway;

/// <summary>
/// Serves <c>/v3/...</c>: a registered path answers POST (any other method gets 405), an unknown path gets 404, both
/// as Go's HTTP server words them. Other paths go down the pipeline.
/// </summary>
internal sealed class JsonGatewayMiddleware(GatewayServiceRegistry services, GatewayCallRunner runner, RequestDelegate next)
{
    public const string PathPrefix = "/v3/";

    public Task InvokeAsync(HttpContext http)
    {
        string path = http.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith(PathPrefix, StringComparison.Ordinal))
        {
            return next(http);
        }

        if (!services.TryGetRoute(path, out GatewayRoute? route))
        {
            return GatewayResponses.WritePlainErrorAsync(http.Response, StatusCodes.Status404NotFound, "Not Found");
        }

        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return GatewayResponses.WritePlainErrorAsync(http.Response, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed");
        }

        return route.InvokeAsync(http, runner);
    }
}
