using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Cairn.Protocol.Tests.Server;

/// <summary>The dispatcher and the client against each other over a real loopback HTTP/2 connection.</summary>
public sealed class GrpcDispatchTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private EtcdClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _client = TestClients.For(_server.Endpoint);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<RangeResponse> Echo(PutRequest request, CallOptions options = default) =>
        _client.Invoker.UnaryAsync(TestService.Unary, request, RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable, options);

    private static PutRequest Put(string key, string value = "") =>
        new() { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) };

    private static string? Metadata(RangeResponse response, string key) =>
        response.Kvs.FirstOrDefault(kv => kv.Key.ToStringUtf8() == key)?.Value.ToStringUtf8();

    [Fact]
    public async Task Unary_call_round_trips_and_carries_client_metadata()
    {
        RangeResponse response = await Echo(Put("hello", "world"), new CallOptions { RequireLeader = true });

        Assert.Equal("hello", response.Kvs[0].Key.ToStringUtf8());
        Assert.Equal("world", response.Kvs[0].Value.ToStringUtf8());
        Assert.Equal("3.4", Metadata(response, "client-api-version"));
        Assert.Equal("true", Metadata(response, "hasleader"));
        Assert.Equal("set", Metadata(response, "deadline"));
        Assert.Equal("Unary", Metadata(response, "method"));
        Assert.Null(Metadata(response, "token"));
    }

    [Fact]
    public async Task Many_concurrent_unary_calls_share_one_connection()
    {
        var calls = Enumerable.Range(0, 200).Select(i => Echo(Put($"k{i}", $"v{i}"))).ToArray();
        RangeResponse[] responses = await Task.WhenAll(calls);
        for (int i = 0; i < responses.Length; i++)
        {
            Assert.Equal($"v{i}", responses[i].Kvs[0].Value.ToStringUtf8());
        }
    }

    [Fact]
    public async Task Empty_request_message_is_valid()
    {
        RangeResponse response = await Echo(new PutRequest());
        Assert.True(response.Kvs[0].Key.IsEmpty);
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_then_ends()
    {
        await using var call = await _client.Invoker.ServerStreamingAsync(TestService.ServerStream, new RangeRequest { Key = ByteString.CopyFromUtf8("s"), Limit = 50 }, RangeResponse.Parser);
        var counts = new List<long>();
        await foreach (RangeResponse response in call.ReadAllAsync())
        {
            counts.Add(response.Count);
        }

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), counts);
        Assert.Null(await call.ReadAsync());
    }

    [Fact]
    public async Task Server_stream_with_zero_messages_ends_ok()
    {
        await using var call = await _client.Invoker.ServerStreamingAsync(TestService.ServerStream, new RangeRequest { Limit = 0 }, RangeResponse.Parser);
        Assert.Null(await call.ReadAsync());
    }

    [Fact]
    public async Task Server_stream_error_after_messages_arrives_in_trailers()
    {
        await using var call = await _client.Invoker.ServerStreamingAsync(TestService.StreamThenFail, new RangeRequest(), RangeResponse.Parser);
        Assert.Equal(1, (await call.ReadAsync())!.Count);
        Assert.Equal(2, (await call.ReadAsync())!.Count);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ReadAsync().AsTask());
        Assert.Equal(GrpcStatusCode.OutOfRange, error.StatusCode);
        Assert.Equal("etcdserver: mvcc: required revision has been compacted", error.Message);
    }

    [Fact]
    public async Task Bidi_stream_interleaves_requests_and_responses()
    {
        await using var call = await _client.Invoker.DuplexStreamingAsync<PutRequest, PutResponse>(TestService.Bidi, PutResponse.Parser);
        for (int i = 1; i <= 20; i++)
        {
            await call.WriteAsync(Put($"k{i}", $"v{i}"));
            PutResponse response = (await call.ReadAsync())!;
            Assert.Equal($"k{i}", response.PrevKv.Key.ToStringUtf8());
            Assert.Equal(i, response.PrevKv.Version);
        }

        call.CompleteRequests();
        Assert.Null(await call.ReadAsync());
    }

    [Fact]
    public async Task Bidi_stream_with_requests_written_before_reading()
    {
        await using var call = await _client.Invoker.DuplexStreamingAsync<PutRequest, PutResponse>(TestService.Bidi, PutResponse.Parser);
        for (int i = 0; i < 100; i++)
        {
            await call.WriteAsync(Put($"k{i}"));
        }

        call.CompleteRequests();
        int received = 0;
        await foreach (PutResponse response in call.ReadAllAsync())
        {
            Assert.Equal($"k{received}", response.PrevKv.Key.ToStringUtf8());
            received++;
        }

        Assert.Equal(100, received);
    }

    [Fact]
    public async Task Writing_after_the_server_ended_a_stream_reports_the_calls_status()
    {
        await using var call = await _client.Invoker.DuplexStreamingAsync<PutRequest, PutResponse>(TestService.BidiFails, PutResponse.Parser);
        await call.WriteAsync(Put("first"));
        var readError = await Assert.ThrowsAsync<RpcException>(() => call.ReadAsync().AsTask());
        Assert.Equal(GrpcStatusCode.FailedPrecondition, readError.StatusCode);

        var writeError = await Assert.ThrowsAsync<RpcException>(() => call.WriteAsync(Put("second")).AsTask());
        Assert.Equal(GrpcStatusCode.FailedPrecondition, writeError.StatusCode);
        Assert.Equal("etcdserver: not leader", writeError.Message);
    }

    [Theory]
    [InlineData(GrpcStatusCode.NotFound, "etcdserver: requested lease not found")]
    [InlineData(GrpcStatusCode.InvalidArgument, "etcdserver: key is not provided")]
    [InlineData(GrpcStatusCode.FailedPrecondition, "100% sure: line1\nline2 caf\u00e9 \u65e5\u672c")]
    [InlineData(GrpcStatusCode.Unavailable, "")]
    public async Task Handler_status_reaches_the_client_verbatim(GrpcStatusCode code, string message)
    {
        var request = Put(((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture), message);
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.Invoker.UnaryAsync(TestService.Fails, request, RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable));
        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Handler_exception_is_unknown_with_its_message_and_the_server_keeps_serving()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.Invoker.UnaryAsync(TestService.Throws, Put("x"), RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable));
        Assert.Equal(GrpcStatusCode.Unknown, error.StatusCode);
        Assert.Equal("boom: the handler broke", error.Message);
        Assert.Contains(_server.Logs.AtLeast(LogLevel.Warning), line => line.Contains(TestService.Throws, StringComparison.Ordinal));

        Assert.Equal("still", (await Echo(Put("still"))).Kvs[0].Key.ToStringUtf8());
    }

    [Fact]
    public async Task Unknown_method_of_a_known_service_uses_grpc_go_wording()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.Invoker.UnaryAsync("/cairn.test.Echo/Nope", Put("x"), RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable));
        Assert.Equal(GrpcStatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("unknown method Nope for service cairn.test.Echo", error.Message);
    }

    [Fact]
    public async Task Unknown_service_uses_grpc_go_wording()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.KV.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("a") }));
        Assert.Equal(GrpcStatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("unknown service etcdserverpb.KV", error.Message);
    }

    [Fact]
    public async Task Unknown_streaming_method_fails_on_first_read()
    {
        await using var call = await _client.Invoker.DuplexStreamingAsync<PutRequest, PutResponse>("/cairn.test.Echo/NoStream", PutResponse.Parser);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ReadAsync().AsTask());
        Assert.Equal(GrpcStatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("unknown method NoStream for service cairn.test.Echo", error.Message);
    }

    [Fact]
    public async Task Deadline_expires_as_DeadlineExceeded_and_the_handler_sees_it()
    {
        // The connection is set up first and the deadline leaves a loaded machine time to deliver the call: a call
        // whose deadline passes before it reaches the server has no handler to see it.
        await Echo(Put("warm-up"));
        var options = new CallOptions { Timeout = TimeSpan.FromSeconds(1) };
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.Invoker.UnaryAsync(TestService.Slow, Put("x"), RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable, options));
        Assert.Equal(GrpcStatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal("context deadline exceeded", error.Message);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(6));
        await WaitForAsync(() => !_server.Service.SlowOutcomes.IsEmpty);
        Assert.Contains(_server.Service.SlowOutcomes, outcome => outcome is "deadline" or "cancelled");
    }

    [Fact]
    public async Task Client_cancellation_is_Canceled_and_cancels_the_handler()
    {
        await Echo(Put("warm-up"));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var options = new CallOptions { CancellationToken = cancellation.Token, Timeout = TimeSpan.FromMinutes(1) };
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.Invoker.UnaryAsync(TestService.Slow, Put("x"), RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable, options));
        Assert.Equal(GrpcStatusCode.Canceled, error.StatusCode);
        await WaitForAsync(() => _server.Service.SlowOutcomes.Contains("cancelled"));
    }

    [Fact]
    public async Task Server_enforces_grpc_timeout_itself()
    {
        // A raw request whose grpc-timeout is 200 ms but whose client waits much longer: the server must end the call.
        using var http = new HttpClient(new SocketsHttpHandler());
        using var request = RawGrpc.Request(_server.BaseUrl + TestService.Slow, RawGrpc.Frame(Put("x")));
        request.Headers.TryAddWithoutValidation("grpc-timeout", "200m");
        using HttpResponseMessage response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("4", RawGrpc.Status(response));
        Assert.Equal("context deadline exceeded", RawGrpc.Message(response));
    }

    [Fact]
    public async Task Malformed_grpc_timeout_is_internal()
    {
        using var http = new HttpClient(new SocketsHttpHandler());
        using var request = RawGrpc.Request(_server.BaseUrl + TestService.Unary, RawGrpc.Frame(Put("x")));
        request.Headers.TryAddWithoutValidation("grpc-timeout", "soon");
        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.Equal("13", RawGrpc.Status(response));
        Assert.Equal("transport: malformed grpc-timeout: \"soon\"", RawGrpc.Message(response));
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "condition not reached within 5 s");
    }
}
