using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Grpc;

/// <summary>Adds the Cairn gRPC dispatcher to an ASP.NET Core pipeline.</summary>
public static class GrpcApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the methods in <paramref name="registry"/> (which is frozen here). Put it before the HTTP/1.1 handlers:
    /// requests that are not gRPC pass through to the rest of the pipeline. When the host stops, open streams are
    /// cancelled and end with Unavailable <c>etcdserver: server stopped</c>, so shutdown is not held up by watchers.
    /// </summary>
    public static IApplicationBuilder UseCairnGrpc(this IApplicationBuilder app, GrpcServiceRegistry registry, GrpcServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new GrpcServerOptions();
        options.Validate();
        ILogger logger = options.Logger
            ?? app.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger("Cairn.Grpc")
            ?? NullLogger.Instance;
        CancellationToken stopping = app.ApplicationServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var runner = new GrpcCallRunner(options, logger, stopping);
        return app.Use(next => new GrpcDispatcher(registry, runner, next).InvokeAsync);
    }
}
