using System.Net;
using Cairn.Client;
using Cairn.Server.Concurrency;
using Cairn.Server.Gateway;
using Cairn.Server.Grpc;
using Cairn.Server.Transport;
using Cairn.Server.Watch;
using Cairn.Storage.Watch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Tests.Support;

/// <summary>
/// A real Kestrel host on a free loopback port, composed like the Cairn server: one port for gRPC and HTTP/1.1, the
/// watch, lock and election services, the test KV/lease handlers, etcd's HTTP access rules and the JSON gateway,
/// all over an <see cref="InProcessNode"/>.
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<EtcdClient> _clients = [];

    private GatewayTestHost(WebApplication app, InProcessNode node, WatchService watch, HarnessKvService kv)
    {
        _app = app;
        Node = node;
        Watch = watch;
        Kv = kv;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Port = new Uri(addresses.First()).Port;
    }

    public InProcessNode Node { get; }

    public WatchService Watch { get; }

    public HarnessKvService Kv { get; }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public string BaseUrl => $"http://{Endpoint}";

    public static async Task<GatewayTestHost> StartAsync(
        WatchServiceOptions? watchOptions = null,
        WatchOptions? hubOptions = null,
        Action<GatewayServiceRegistry, InProcessNode>? register = null,
        IGrpcServerMetrics? metrics = null,
        Action<WebApplication>? mapEndpoints = null,
        JsonGatewayOptions? gatewayOptions = null)
    {
        var node = new InProcessNode(hubOptions);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = new ClientPortOptions();
        port.ListenEndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        builder.WebHost.UseCairnClientPort(port);
        WebApplication app = builder.Build();

        var services = new GatewayServiceRegistry(new GrpcServiceRegistry());
        var watch = new WatchService(node, watchOptions ?? new WatchServiceOptions());
        watch.Register(services);
        new LockService(node).Register(services);
        new ElectionService(node).Register(services);
        var kv = new HarnessKvService(node);
        kv.Register(services);
        register?.Invoke(services, node);

        app.UseCairnGrpc(services.Grpc, new GrpcServerOptions { Metrics = metrics });
        app.UseEtcdHttpAccess();
        app.UseEtcdJsonGateway(services, gatewayOptions ?? new JsonGatewayOptions { Metrics = metrics });
        mapEndpoints?.Invoke(app);
        await app.StartAsync();
        return new GatewayTestHost(app, node, watch, kv);
    }

    /// <summary>An etcd client for this host (disposed with it).</summary>
    public EtcdClient NewClient()
    {
        var options = new EtcdClientOptions { DefaultCallTimeout = TimeSpan.FromSeconds(30) };
        options.Endpoints.Add(Endpoint);
        var client = new EtcdClient(options);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (EtcdClient client in _clients)
        {
            client.Dispose();
        }

        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
        Node.Dispose();
    }
}
