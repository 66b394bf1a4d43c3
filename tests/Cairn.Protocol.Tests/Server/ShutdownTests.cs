using System.Diagnostics;
using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Server;

public class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_server_ends_open_streams_with_unavailable_promptly()
    {
        TestServer server = await TestServer.StartAsync();
        using EtcdClient client = TestClients.For(server.Endpoint);
        await using var stream = await client.Invoker.DuplexStreamingAsync<PutRequest, PutResponse>(TestService.Bidi, PutResponse.Parser);
        await stream.WriteAsync(new PutRequest { Key = ByteString.CopyFromUtf8("k") });
        Assert.NotNull(await stream.ReadAsync());

        var stopwatch = Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"shutdown took {stopwatch.Elapsed}");

        var error = await Assert.ThrowsAsync<RpcException>(() => stream.ReadAsync().AsTask());
        Assert.Equal(GrpcStatusCode.Unavailable, error.StatusCode);
        Assert.Equal("etcdserver: server stopped", error.Message);
    }

    [Fact]
    public async Task Port_is_released_after_shutdown()
    {
        TestServer server = await TestServer.StartAsync();
        int port = server.Port;
        await server.DisposeAsync();

        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public async Task Port_in_use_fails_startup_with_a_clear_error()
    {
        await using TestServer first = await TestServer.StartAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestServer.StartAsync(configurePort: port =>
        {
            port.ListenEndPoints.Clear();
            port.ListenEndPoints.Add(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, first.Port));
        }));
        string messages = error.ToString();
        Assert.Contains("address already in use", messages, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), messages, StringComparison.Ordinal);
    }
}
