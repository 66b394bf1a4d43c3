using Cairn.Client;

namespace Cairn.Protocol.Tests.Server;

internal static class TestClients
{
    public static EtcdClient For(string endpoint, Action<EtcdClientOptions>? configure = null)
    {
        var options = new EtcdClientOptions { DefaultCallTimeout = TimeSpan.FromSeconds(10) };
        options.Endpoints.Add(endpoint);
        configure?.Invoke(options);
        return new EtcdClient(options);
    }
}
