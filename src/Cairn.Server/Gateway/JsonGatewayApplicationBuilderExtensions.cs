using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Gateway;

/// <summary>Adds etcd's HTTP behaviour (CORS, <c>/v3beta</c>) and the JSON gateway to an ASP.NET Core pipeline.</summary>
public static class JsonGatewayApplicationBuilderExtensions
{
    /// <summary>
    /// etcd's access controller: CORS headers on every HTTP response, <c>OPTIONS</c> answered with 200, and
    /// <c>/v3beta/</c> rewritten to <c>/v3/</c>. Put it right after <c>UseCairnGrpc</c>, before the HTTP handlers.
    /// </summary>
    public static IApplicationBuilder UseEtcdHttpAccess(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<EtcdHttpAccessMiddleware>();
    }

    /// <summary>Serves <c>POST /v3/...</c> for every method registered in <paramref name="services"/> that etcd's gateway exposes.</summary>
    public static IApplicationBuilder UseEtcdJsonGateway(this IApplicationBuilder app, GatewayServiceRegistry services, JsonGatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(services);
        options ??= new JsonGatewayOptions();
        options.Validate();
        services.Freeze();
        ILogger logger = options.Logger
            ?? app.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger("Cairn.Gateway")
            ?? NullLogger.Instance;
        CancellationToken stopping = app.ApplicationServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var runner = new GatewayCallRunner(options, logger, stopping);
        return app.Use(next => new JsonGatewayMiddleware(services, runner, next).InvokeAsync);
    }
}
