using System.Net;
using Cairn.Server.Grpc;
using Cairn.Server.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Protocol.Tests.Server;

/// <summary>
/// A real Kestrel host on a free loopback port with the client-port transport, the test service and one plain
/// HTTP route (<c>GET /test/hello</c>), as the Cairn server composes them.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, TestService service, GrpcServiceRegistry registry, CapturingLoggerProvider logs)
    {
        _app = app;
        Service = service;
        Registry = registry;
        Logs = logs;
    }

    public TestService Service { get; }

    public GrpcServiceRegistry Registry { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary><c>http://127.0.0.1:port</c> or <c>https://...</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public int Port { get; private set; }

    public static async Task<TestServer> StartAsync(
        Action<GrpcServiceRegistry>? register = null,
        Action<ClientPortOptions>? configurePort = null,
        Action<GrpcServerOptions>? configureGrpc = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        var portOptions = new ClientPortOptions();
        portOptions.ListenEndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        configurePort?.Invoke(portOptions);
        builder.WebHost.UseCairnClientPort(portOptions);

        WebApplication app = builder.Build();
        var service = new TestService();
        var registry = new GrpcServiceRegistry();
        service.Register(registry);
        register?.Invoke(registry);
        var grpcOptions = new GrpcServerOptions();
        configureGrpc?.Invoke(grpcOptions);
        app.UseCairnGrpc(registry, grpcOptions);
        app.MapGet("/test/hello", (HttpContext context) => Results.Text($"hello over {context.Request.Protocol}\n"));

        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var server = new TestServer(app, service, registry, logs);
        server.ReadAddress(tls: portOptions.ServerCertificate is not null);
        return server;
    }

    private void ReadAddress(bool tls)
    {
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var uri = new Uri(addresses.First());
        Port = uri.Port;
        Endpoint = $"127.0.0.1:{Port}";
        BaseUrl = (tls ? "https://" : "http://") + Endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
