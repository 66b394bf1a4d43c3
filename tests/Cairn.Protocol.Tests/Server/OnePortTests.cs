using System.Net;
using System.Net.Sockets;
using System.Text;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Tests.Tools;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Server;

/// <summary>One port serves gRPC (HTTP/2 prior knowledge) and HTTP/1.1, proven with curl and raw sockets.</summary>
public sealed class OnePortTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _scratch = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _scratch = Directory.CreateTempSubdirectory("cairn-oneport-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Curl_h2c_prior_knowledge_makes_a_grpc_call_by_hand()
    {
        var request = new PutRequest { Key = ByteString.CopyFromUtf8("curl-key"), Value = ByteString.CopyFromUtf8("curl-value") };
        string requestFile = Path.Combine(_scratch, "request.bin");
        string responseFile = Path.Combine(_scratch, "response.bin");
        await File.WriteAllBytesAsync(requestFile, RawGrpc.Frame(request));

        var curl = await ExternalProcess.RunAsync("curl", [
            "-sS", "--http2-prior-knowledge", "-X", "POST",
            "-H", "content-type: application/grpc", "-H", "te: trailers",
            "--data-binary", "@" + requestFile, "-D", "-", "-o", responseFile,
            _server.BaseUrl + TestService.Unary]);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.StartsWith("HTTP/2 200", curl.Stdout, StringComparison.Ordinal);
        Assert.Contains("content-type: application/grpc", curl.Stdout, StringComparison.Ordinal);
        Assert.Contains("grpc-status: 0", curl.Stdout, StringComparison.Ordinal);
        byte[] body = await File.ReadAllBytesAsync(responseFile);
        Assert.Equal(0, body[0]);
        RangeResponse response = RangeResponse.Parser.ParseFrom(body.AsSpan(5));
        Assert.Equal("curl-key", response.Kvs[0].Key.ToStringUtf8());
        Assert.Equal("curl-value", response.Kvs[0].Value.ToStringUtf8());
    }

    [Fact]
    public async Task Curl_h2c_gets_unimplemented_for_unknown_method_in_a_trailers_only_response()
    {
        var curl = await ExternalProcess.RunAsync("curl", [
            "-sS", "--http2-prior-knowledge", "-X", "POST", "-H", "content-type: application/grpc",
            "--data-binary", "", "-D", "-", "-o", "/dev/null", _server.BaseUrl + "/etcdserverpb.KV/Nope"]);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Contains("grpc-status: 12", curl.Stdout, StringComparison.Ordinal);
        Assert.Contains("grpc-message: unknown service etcdserverpb.KV", curl.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http1_curl_reaches_the_http_routes_on_the_same_port()
    {
        var curl = await ExternalProcess.RunAsync("curl", ["-sS", "--http1.1", "-D", "-", _server.BaseUrl + "/test/hello"]);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.StartsWith("HTTP/1.1 200", curl.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("hello over HTTP/1.1\n", curl.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_routes_also_answer_over_h2c()
    {
        var curl = await ExternalProcess.RunAsync("curl", ["-sS", "--http2-prior-knowledge", _server.BaseUrl + "/test/hello"]);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal("hello over HTTP/2\n", curl.Stdout);
    }

    [Fact]
    public async Task Wrong_content_type_on_a_grpc_method_is_415_like_grpc_go()
    {
        var curl = await ExternalProcess.RunAsync("curl", [
            "-sS", "--http2-prior-knowledge", "-X", "POST", "-H", "content-type: text/plain",
            "--data-binary", "hello", "-D", "-", "-o", "/dev/null", _server.BaseUrl + TestService.Unary]);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.StartsWith("HTTP/2 415", curl.Stdout, StringComparison.Ordinal);
        Assert.Contains("grpc-status: 13", curl.Stdout, StringComparison.Ordinal);
        Assert.Contains("grpc-message: transport: received unexpected content-type \"text/plain\"", curl.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_over_http1_is_refused_with_a_clear_message()
    {
        var curl = await ExternalProcess.RunAsync("curl", [
            "-sS", "--http1.1", "-X", "POST", "-H", "content-type: application/grpc",
            "--data-binary", "", "-D", "-", _server.BaseUrl + TestService.Unary]);

        Assert.StartsWith("HTTP/1.1 400", curl.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("gRPC requires HTTP/2\n", curl.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_connection_is_closed_after_the_first_bytes_timeout()
    {
        await using var server = await TestServer.StartAsync(configurePort: port => port.FirstBytesTimeout = TimeSpan.FromMilliseconds(500));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        var started = DateTime.UtcNow;
        byte[] buffer = new byte[64];
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read = await socket.ReceiveAsync(buffer, SocketFlags.None, guard.Token);

        Assert.Equal(0, read);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        Assert.Contains(server.Logs.AtLeast(Microsoft.Extensions.Logging.LogLevel.Debug), line => line.Contains("sent nothing recognisable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connections_waiting_for_first_bytes_are_capped()
    {
        await using var server = await TestServer.StartAsync(configurePort: port => port.MaxUnclassifiedConnections = 2);
        var silent = new List<Socket>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                silent.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, server.Port);
            }

            // The accept loop counts connections in arrival order, so the third is over the cap.
            using var third = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await third.ConnectAsync(IPAddress.Loopback, server.Port);
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            Assert.Equal(0, await third.ReceiveAsync(new byte[16], SocketFlags.None, guard.Token));
            Assert.Contains(server.Logs.AtLeast(Microsoft.Extensions.Logging.LogLevel.Warning), line => line.Contains("already waiting", StringComparison.Ordinal));
        }
        finally
        {
            silent.ForEach(socket => socket.Dispose());
        }

        // Once the silent ones are gone, new clients are served again (retry: their slots free up asynchronously).
        var curl = await ExternalProcess.RunAsync("curl", ["-sS", "--retry", "3", "--retry-all-errors", server.BaseUrl + "/test/hello"]);
        Assert.Equal("hello over HTTP/1.1\n", curl.Stdout);
    }

    [Fact]
    public async Task Preface_arriving_in_pieces_is_still_http2()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        await socket.ConnectAsync(IPAddress.Loopback, _server.Port);
        byte[] preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        await socket.SendAsync(preface.AsMemory(0, 7), SocketFlags.None);
        await Task.Delay(100);
        await socket.SendAsync(preface.AsMemory(7, 10), SocketFlags.None);
        await Task.Delay(100);
        await socket.SendAsync(preface.AsMemory(17), SocketFlags.None);

        // An HTTP/2 server answers the preface with a SETTINGS frame: 3-byte length, type 0x4, flags, stream 0.
        byte[] header = new byte[9];
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int read = await socket.ReceiveAsync(header, SocketFlags.None, guard.Token);
        Assert.True(read >= 4, $"read {read} bytes");
        Assert.Equal(0x4, header[3]);
    }

    [Fact]
    public async Task Garbage_goes_to_http1_which_rejects_it()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _server.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes("PRX garbage\r\n\r\n"), SocketFlags.None);
        byte[] buffer = new byte[256];
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int read = await socket.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
        Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_that_connects_and_closes_at_once_does_not_disturb_others()
    {
        for (int i = 0; i < 20; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, _server.Port);
            socket.Close();
        }

        var curl = await ExternalProcess.RunAsync("curl", ["-sS", _server.BaseUrl + "/test/hello"]);
        Assert.Equal("hello over HTTP/1.1\n", curl.Stdout);
    }
}
