using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Server;

/// <summary>Malformed and oversized input gets grpc-go's (etcd 3.4's) code and message, and the server keeps serving.</summary>
public sealed class GrpcBadInputTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _http = new HttpClient(new SocketsHttpHandler());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(string? Status, string? Message)> SendRawAsync(byte[] body, string path = TestService.Unary, string? encoding = null)
    {
        using var request = RawGrpc.Request(_server.BaseUrl + path, body);
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        using HttpResponseMessage response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return (RawGrpc.Status(response), RawGrpc.Message(response));
    }

    // Expected values observed on etcd 3.4.23 with the same bytes (see docs/GRPC.md).
    [Theory]
    [InlineData(new byte[0], "2", "EOF")]
    [InlineData(new byte[] { 0, 0, 0, 0, 5, 0x0A, 0x01 }, "2", "unexpected EOF")]
    [InlineData(new byte[] { 0, 0, 0 }, "2", "unexpected EOF")]
    [InlineData(new byte[] { 0, 0, 0, 0, 2, 0x0A, 0x05 }, "13", "grpc: error unmarshalling request: unexpected EOF")]
    [InlineData(new byte[] { 2, 0, 0, 0, 0 }, "13", "grpc: received unexpected payload format 2")]
    [InlineData(new byte[] { 1, 0, 0, 0, 0 }, "13", "grpc: compressed flag set with identity or empty encoding")]
    public async Task Malformed_request_gets_etcds_status(byte[] body, string status, string message)
    {
        (string? actualStatus, string? actualMessage) = await SendRawAsync(body);
        Assert.Equal(status, actualStatus);
        Assert.Equal(message, actualMessage);
    }

    [Fact]
    public async Task Unsupported_encoding_is_unimplemented()
    {
        (string? status, string? message) = await SendRawAsync(RawGrpc.Frame([]), encoding: "br");
        Assert.Equal("12", status);
        Assert.Equal("grpc: Decompressor is not installed for grpc-encoding \"br\"", message);
    }

    [Fact]
    public async Task Malformed_method_name()
    {
        (string? status, string? message) = await SendRawAsync(RawGrpc.Frame([]), path: "/nopath");
        Assert.Equal("12", status);
        Assert.Equal("malformed method name: \"/nopath\"", message);
    }

    [Fact]
    public async Task Extra_messages_on_a_unary_call_are_ignored_like_etcd()
    {
        var one = new PutRequest { Key = ByteString.CopyFromUtf8("first") };
        var two = new PutRequest { Key = ByteString.CopyFromUtf8("second") };
        using var request = RawGrpc.Request(_server.BaseUrl + TestService.Unary, [.. RawGrpc.Frame(one), .. RawGrpc.Frame(two)]);
        using HttpResponseMessage response = await _http.SendAsync(request);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("0", RawGrpc.Status(response));
        Assert.Equal("first", RangeResponse.Parser.ParseFrom(body.AsSpan(5)).Kvs[0].Key.ToStringUtf8());
    }

    [Fact]
    public async Task Request_over_the_default_limit_is_resource_exhausted_with_etcds_numbers()
    {
        // The same size etcd 3.4.23 was observed rejecting: (2202019 vs. 2097152).
        using EtcdClient client = TestClients.For(_server.Endpoint, options => options.MaxSendMessageBytes = int.MaxValue);
        var request = new PutRequest { Value = ByteString.CopyFrom(new byte[2202019 - 5]) };
        Assert.Equal(2202019, request.CalculateSize());

        var error = await Assert.ThrowsAsync<RpcException>(() => Echo(client, request));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("grpc: received message larger than max (2202019 vs. 2097152)", error.Message);
        Assert.Equal("alive", (await Echo(client, Put("alive"))).Kvs[0].Key.ToStringUtf8());
    }

    [Fact]
    public async Task Request_at_the_limit_is_accepted_even_with_a_small_stream_window()
    {
        await using var server = await TestServer.StartAsync(configurePort: port =>
        {
            port.InitialStreamWindowBytes = 65_535;
            port.InitialConnectionWindowBytes = 65_535;
        });
        using EtcdClient client = TestClients.For(server.Endpoint, options => options.MaxSendMessageBytes = int.MaxValue);
        var request = new PutRequest { Key = ByteString.CopyFromUtf8("big"), Value = ByteString.CopyFrom(new byte[2_097_152 - 10]) };
        Assert.True(request.CalculateSize() <= 2_097_152);

        RangeResponse response = await Echo(client, request);

        Assert.Equal(request.Value.Length, response.Kvs[0].Value.Length);
    }

    [Fact]
    public async Task Configured_receive_limit_is_enforced()
    {
        await using var server = await TestServer.StartAsync(configureGrpc: grpc => grpc.MaxReceiveMessageBytes = GrpcServerOptionsLimit(1000));
        using EtcdClient client = TestClients.For(server.Endpoint);
        var error = await Assert.ThrowsAsync<RpcException>(() => Echo(client, new PutRequest { Value = ByteString.CopyFrom(new byte[600_000]) }));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal($"grpc: received message larger than max (600004 vs. {1000 + 512 * 1024})", error.Message);
    }

    private static int GrpcServerOptionsLimit(int maxRequestBytes) => Cairn.Server.Grpc.GrpcServerOptions.ReceiveLimitFor(maxRequestBytes);

    [Fact]
    public async Task Client_refuses_to_send_over_its_limit()
    {
        using EtcdClient client = TestClients.For(_server.Endpoint);
        var request = new PutRequest { Value = ByteString.CopyFrom(new byte[3_000_000]) };
        var error = await Assert.ThrowsAsync<RpcException>(() => Echo(client, request));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal($"grpc: trying to send message larger than max ({request.CalculateSize()} vs. 2097152)", error.Message);
    }

    [Fact]
    public async Task Server_refuses_to_send_over_its_limit_with_a_trailers_only_error()
    {
        await using var server = await TestServer.StartAsync(configureGrpc: grpc => grpc.MaxSendMessageBytes = 1000);
        using EtcdClient client = TestClients.For(server.Endpoint);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.Invoker.UnaryAsync(TestService.Big, new RangeRequest { Limit = 5000 }, RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Matches(@"^grpc: trying to send message larger than max \(50\d\d vs\. 1000\)$", error.Message);
    }

    [Fact]
    public async Task Client_receive_limit_is_enforced()
    {
        using EtcdClient client = TestClients.For(_server.Endpoint, options => options.MaxReceiveMessageBytes = 4096);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.Invoker.UnaryAsync(TestService.Big, new RangeRequest { Limit = 10_000 }, RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Matches(@"^grpc: received message larger than max \(100\d\d vs\. 4096\)$", error.Message);
    }

    [Fact]
    public async Task Gzip_requests_are_understood_and_answered_in_gzip()
    {
        using EtcdClient client = TestClients.For(_server.Endpoint, options => options.RequestCompression = GrpcCompression.Gzip);
        var request = new PutRequest { Key = ByteString.CopyFromUtf8("zip"), Value = ByteString.CopyFrom(new byte[100_000]) };
        RangeResponse response = await Echo(client, request);
        Assert.Equal(100_000, response.Kvs[0].Value.Length);

        // The same over a raw request, to see the response encoding on the wire.
        using var raw = RawGrpc.Request(_server.BaseUrl + TestService.Unary, Framing.Frames.Gzip(request));
        raw.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
        using HttpResponseMessage rawResponse = await _http.SendAsync(raw);
        byte[] body = await rawResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal("gzip", rawResponse.Headers.GetValues("grpc-encoding").Single());
        Assert.Equal(1, body[0]);
        Assert.True(body.Length < 10_000, $"a gzip response of zeros should be small, got {body.Length} bytes");
    }

    private static Task<RangeResponse> Echo(EtcdClient client, PutRequest request) =>
        client.Invoker.UnaryAsync(TestService.Unary, request, RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable);

    private static PutRequest Put(string key) => new() { Key = ByteString.CopyFromUtf8(key) };
}
