using System.Collections.Concurrent;
using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Server.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Server;

public class GrpcRegistryAndMetricsTests
{
    private static ValueTask<RangeResponse> Noop(RangeRequest request, ServerCallContext context) => ValueTask.FromResult(new RangeResponse());

    [Theory]
    [InlineData("")]
    [InlineData("etcdserverpb.KV/Range")]
    [InlineData("/Range")]
    [InlineData("/etcdserverpb.KV/")]
    [InlineData("/etcdserverpb.KV")]
    public void Rejects_paths_that_are_not_method_paths(string path)
    {
        var registry = new GrpcServiceRegistry();
        var error = Assert.Throws<ArgumentException>(() => registry.AddUnary<RangeRequest, RangeResponse>(path, RangeRequest.Parser, Noop));
        Assert.Contains("/package.Service/Method", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_second_handler_for_the_same_path()
    {
        var registry = new GrpcServiceRegistry();
        registry.AddUnary<RangeRequest, RangeResponse>(EtcdMethods.KV.Range, RangeRequest.Parser, Noop);
        var error = Assert.Throws<ArgumentException>(() => registry.AddUnary<RangeRequest, RangeResponse>(EtcdMethods.KV.Range, RangeRequest.Parser, Noop));
        Assert.Contains("already registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Method_info_carries_the_metric_labels()
    {
        var registry = new GrpcServiceRegistry();
        GrpcMethodInfo method = registry.AddBidiStreaming<WatchRequest, WatchResponse>(EtcdMethods.Watch.WatchMethod, WatchRequest.Parser, (_, _, _) => ValueTask.CompletedTask);
        Assert.Equal("etcdserverpb.Watch", method.ServiceName);
        Assert.Equal("Watch", method.MethodName);
        Assert.Equal("bidi_stream", method.Kind.PrometheusName());
        Assert.True(registry.IsRegistered(EtcdMethods.Watch.WatchMethod));
        Assert.Single(registry.Methods);
    }

    [Fact]
    public void In_process_call_context_reads_the_gateway_requests_metadata()
    {
        var registry = new GrpcServiceRegistry();
        GrpcMethodInfo method = registry.AddUnary<RangeRequest, RangeResponse>(EtcdMethods.KV.Range, RangeRequest.Parser, Noop);
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.Headers.Authorization = "abcdefghijklmnop.7";
        using var aborted = new CancellationTokenSource();
        http.RequestAborted = aborted.Token;

        using ServerCallContext call = ServerCallContext.ForInProcessCall(http, method, TimeSpan.FromMinutes(1));

        Assert.Equal("abcdefghijklmnop.7", call.AuthToken);
        Assert.NotNull(call.Deadline);
        CancellationToken token = call.CancellationToken;
        aborted.Cancel();
        Assert.True(token.IsCancellationRequested);
        Assert.False(call.DeadlineExceeded);
    }

    [Fact]
    public async Task Registering_after_the_server_started_fails()
    {
        await using var server = await TestServer.StartAsync();
        var error = Assert.Throws<InvalidOperationException>(() =>
            server.Registry.AddUnary<RangeRequest, RangeResponse>(EtcdMethods.KV.Range, RangeRequest.Parser, Noop));
        Assert.Contains("register every method before", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_hook_sees_started_messages_and_handled_codes()
    {
        var metrics = new RecordingMetrics();
        await using var server = await TestServer.StartAsync(configureGrpc: grpc => grpc.Metrics = metrics);
        using EtcdClient client = TestClients.For(server.Endpoint);

        await client.Invoker.UnaryAsync(TestService.Unary, new PutRequest(), RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable);
        await Assert.ThrowsAsync<RpcException>(() => client.Invoker.UnaryAsync(
            TestService.Fails, new PutRequest { Key = ByteString.CopyFromUtf8("5") }, RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable));
        await using (var stream = await client.Invoker.ServerStreamingAsync(TestService.ServerStream, new RangeRequest { Limit = 3 }, RangeResponse.Parser))
        {
            while (await stream.ReadAsync() is not null)
            {
            }
        }

        await Assert.ThrowsAsync<RpcException>(() => client.Invoker.UnaryAsync(
            "/cairn.test.Echo/Unknown", new PutRequest(), RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable));

        // Handled is reported after the response is complete; give the server a moment.
        await GrpcDispatchTests.WaitForAsync(() => metrics.Events.Count(e => e.StartsWith("handled", StringComparison.Ordinal)) == 3);
        Assert.Equal(
            [
                "started Unary unary 3.4", "received Unary", "sent Unary", "handled Unary OK",
                "started Fails unary 3.4", "received Fails", "handled Fails NotFound",
                "started ServerStream server_stream 3.4", "received ServerStream", "sent ServerStream", "sent ServerStream", "sent ServerStream", "handled ServerStream OK",
            ],
            metrics.Events);
    }

    private sealed class RecordingMetrics : IGrpcServerMetrics
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public void CallStarted(ServerCallContext call) =>
            Events.Enqueue($"started {call.Method.MethodName} {call.Method.Kind.PrometheusName()} {call.ClientApiVersion}");

        public void MessageReceived(GrpcMethodInfo method) => Events.Enqueue($"received {method.MethodName}");

        public void MessageSent(GrpcMethodInfo method) => Events.Enqueue($"sent {method.MethodName}");

        public void CallHandled(ServerCallContext call, GrpcStatusCode code, TimeSpan elapsed)
        {
            Assert.True(elapsed >= TimeSpan.Zero);
            Events.Enqueue($"handled {call.Method.MethodName} {code}");
        }
    }
}
