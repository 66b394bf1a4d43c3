using Cairn.Testing;

namespace Cairn.Bench.Tests;

/// <summary>One real etcd 3.4 per test class that needs it (Debian's /usr/bin/etcd on free loopback ports).</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdServer? _server;

    /// <summary>The running server.</summary>
    public EtcdServer Server => _server ?? throw new InvalidOperationException("etcd is not started");

    /// <summary>host:port of the client URL.</summary>
    public string Endpoint => Server.Endpoint;

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await EtcdServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
