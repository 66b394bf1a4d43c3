using Cairn.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting;

/// <summary>
/// The Kestrel host of a Cairn member, composed in one place: logging, services, listeners (see
/// CairnHost.Listeners.cs) and endpoints. To add a feature (gRPC services, the JSON gateway, /health,
/// /metrics), register its services in <see cref="ConfigureServices"/> and its routes in
/// <see cref="MapEndpoints"/>; connection-level handling (HTTP/2 preface sniffing) goes in
/// <see cref="ConfigureClientListener"/>.
/// </summary>
public sealed partial class CairnHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private CairnHost(WebApplication app, IReadOnlyList<string> clientAddresses)
    {
        this.app = app;
        ClientAddresses = clientAddresses;
    }

    /// <summary>The addresses the client listeners are bound to (with the real port when the config said 0).</summary>
    public IReadOnlyList<string> ClientAddresses { get; }

    /// <summary>Builds the host and starts listening; throws <see cref="HostStartException"/> when a listener cannot bind.</summary>
    public static async Task<CairnHost> StartAsync(CairnConfig config, ILoggerProvider logs, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        // ASP.NET Core's own information messages repeat what Cairn logs; keep its warnings and errors. A failed
        // start is reported by ServeRunner in one clear line, so the host's own stack-trace dump of it is dropped
        // (that category also reports failed BackgroundServices: log those where they fail).
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        ConfigureServices(builder.Services, config);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => ConfigureListeners(kestrel, config));
        WebApplication app = builder.Build();
        MapEndpoints(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw HostStartException.FromBindFailure(exception, config.Client.ListenUrls);
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        return new CairnHost(app, addresses);
    }

    /// <summary>Stops accepting connections and waits (up to <paramref name="timeout"/>) for requests in flight.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await app.StopAsync(deadline.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static void ConfigureServices(IServiceCollection services, CairnConfig config)
    {
        services.AddSingleton(config);
        services.AddRoutingCore();
        // Signals are Cairn's (ShutdownSignal + sd_notify); the host must not install its own console lifetime.
        services.AddSingleton<IHostLifetime, ExternallyControlledLifetime>();
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet(VersionEndpoint.Path, (RequestDelegate)VersionEndpoint.HandleAsync);
    }

    /// <summary>A host lifetime that neither waits for nor reacts to console signals.</summary>
    private sealed class ExternallyControlledLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
