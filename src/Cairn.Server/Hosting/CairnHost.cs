using Cairn.Configuration;
using Cairn.Server.Corruption;
using Cairn.Server.Gateway;
using Cairn.Server.Grpc;
using Cairn.Server.Http;
using Cairn.Server.Metrics;
using Cairn.Server.Node;
using Cairn.Server.Peers;
using Cairn.Server.Services;
using Cairn.Server.Watch;
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
    private readonly IdleHeapTrimmer heapTrimmer = new();

    private CairnHost(WebApplication app, EtcdNode node, IReadOnlyList<string> clientAddresses)
    {
        this.app = app;
        Node = node;
        ClientAddresses = clientAddresses;
    }

    /// <summary>The addresses the client listeners are bound to (with the real port when the config said 0).</summary>
    public IReadOnlyList<string> ClientAddresses { get; }

    /// <summary>The local member the host serves.</summary>
    public EtcdNode Node { get; }

    /// <summary>
    /// Opens the member (recovery from the data directory, or bootstrap), builds the host and starts listening; throws
    /// <see cref="HostStartException"/> when the data cannot be used or a listener cannot bind.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="logs">Where everything logs.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="progress">Receives recovery progress lines (systemd STATUS=), or null.</param>
    public static async Task<CairnHost> StartAsync(CairnConfig config, ILoggerProvider logs, CancellationToken cancellationToken,
        Action<string>? progress = null)
    {
        var metrics = new CairnMetrics();
        NodeOptions options = NodeOptions.FromConfig(config) with { WalSyncObserver = metrics.WalFsync.Observe };
        IReadOnlyList<Cairn.Protocol.Etcd.Member> knownMembers =
            await ClusterJoin.PrepareAsync(options, logs.CreateLogger("Cairn.Server"), cancellationToken).ConfigureAwait(false);
        PeerTransport transport = CreateTransport(knownMembers, logs, metrics.Peers);
        var listening = new PeerListening(transport, config.Peer.ListenUrls, logs.CreateLogger("Cairn.Peers"));
        EtcdNode node;
        try
        {
            node = OpenNode(options, logs, progress, transport);
        }
        catch
        {
            await listening.DisposeAsync().ConfigureAwait(false);
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            StartPeerListener(options, node, transport, listening);
            CairnHost host = await StartWithNodeAsync(config, logs, node, metrics, cancellationToken).ConfigureAwait(false);
            host.Peers = listening;
            host.Transport = transport;
            return host;
        }
        catch
        {
            await listening.DisposeAsync().ConfigureAwait(false);
            await node.DisposeAsync().ConfigureAwait(false);
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static EtcdNode OpenNode(NodeOptions options, ILoggerProvider logs, Action<string>? progress, PeerTransport transport)
    {
        try
        {
            return EtcdNode.Open(options, logs.CreateLogger("Cairn.Node"), progress, transport);
        }
        catch (NodeStartException exception)
        {
            throw new HostStartException(exception.Message, exception);
        }
    }

    private static async Task<CairnHost> StartWithNodeAsync(CairnConfig config, ILoggerProvider logs, EtcdNode node, CairnMetrics metrics,
        CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        // ASP.NET Core's own information messages repeat what Cairn logs; keep its warnings and errors. A failed
        // start is reported by ServeRunner in one clear line, so the host's own stack-trace dump of it is dropped
        // (that category also reports failed BackgroundServices: log those where they fail).
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        ConfigureServices(builder.Services, config, metrics);
        builder.Services.AddCairnNode(node);
        builder.Services.AddCorruptionCheck(config.Cluster);
        builder.WebHost.UseKestrelCore();
        ConfigureListeners(builder.WebHost, config);
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
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Distinct().ToArray() ?? [];
        return new CairnHost(app, node, addresses);
    }

    /// <summary>Stops accepting connections and waits (up to <paramref name="timeout"/>) for requests in flight.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await app.StopAsync(deadline.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        heapTrimmer.Dispose();
        await app.DisposeAsync().ConfigureAwait(false);
        // The member stops first: its last lease checkpoint still needs the peers to commit.
        await Node.DisposeAsync().ConfigureAwait(false);
        await DisposePeersAsync().ConfigureAwait(false);
    }

    private static void ConfigureServices(IServiceCollection services, CairnConfig config, CairnMetrics metrics)
    {
        services.AddSingleton(config);
        services.AddSingleton(metrics);
        services.AddSingleton(new GrpcServiceRegistry());
        services.AddSingleton(new GrpcServerOptions
        {
            MaxReceiveMessageBytes = GrpcServerOptions.ReceiveLimitFor(config.Limits.MaxRequestBytes),
            Metrics = metrics.Grpc,
        });
        services.AddRoutingCore();
        // Signals are Cairn's (ShutdownSignal + sd_notify); the host must not install its own console lifetime.
        services.AddSingleton<IHostLifetime, ExternallyControlledLifetime>();
    }

    private static void MapEndpoints(WebApplication app)
    {
        CairnConfig config = app.Services.GetRequiredService<CairnConfig>();
        var registry = new GatewayServiceRegistry(app.Services.GetRequiredService<GrpcServiceRegistry>());
        EtcdNode node = app.Services.GetRequiredService<EtcdNode>();
        registry.AddEtcdServices(node, new WatchServiceOptions { MaxRequestBytes = config.Limits.MaxRequestBytes });
        app.Services.GetRequiredService<GrpcServerOptions>().UnaryAdmission = LeaderMonitor.RequireLeaderWhenAsked(node);
        app.UseCairnGrpc(registry.Grpc, app.Services.GetRequiredService<GrpcServerOptions>());
        app.UseEtcdHttpAccess();
        CairnMetrics metrics = app.Services.GetRequiredService<CairnMetrics>();
        app.UseEtcdJsonGateway(registry, JsonGatewayOptions.ForMaxRequestBytes(config.Limits.MaxRequestBytes, metrics.Grpc));
        app.MapGet(VersionEndpoint.Path, (RequestDelegate)VersionEndpoint.HandleAsync);
        app.MapGet(MetricsEndpoint.Path, (RequestDelegate)(context => MetricsEndpoint.HandleAsync(context, metrics, node)));
        app.MapHealthEndpoints();
    }

    /// <summary>A host lifetime that neither waits for nor reacts to console signals.</summary>
    private sealed class ExternallyControlledLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
