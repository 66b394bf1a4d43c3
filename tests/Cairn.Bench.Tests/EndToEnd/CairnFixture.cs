using Cairn.Testing;

namespace Cairn.Bench.Tests.EndToEnd;

/// <summary>One <c>cairn serve</c> (the native binary, out/cairn) per test class that needs it.</summary>
public sealed class CairnFixture : IAsyncLifetime
{
    private CairnServer? _server;

    /// <summary>host:port of the client URL.</summary>
    public string Endpoint => (_server ?? throw new InvalidOperationException("cairn is not started")).Endpoint;

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await CairnServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
