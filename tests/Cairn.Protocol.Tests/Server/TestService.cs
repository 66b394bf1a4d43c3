using System.Collections.Concurrent;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Server.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Server;

/// <summary>A service made for testing the transport, registered through the same registry the etcd services use.</summary>
internal sealed class TestService
{
    public const string Unary = "/cairn.test.Echo/Unary";
    public const string ServerStream = "/cairn.test.Echo/ServerStream";
    public const string Bidi = "/cairn.test.Echo/Bidi";
    public const string Slow = "/cairn.test.Echo/Slow";
    public const string Throws = "/cairn.test.Echo/Throws";
    public const string Fails = "/cairn.test.Echo/Fails";
    public const string StreamThenFail = "/cairn.test.Echo/StreamThenFail";
    public const string Big = "/cairn.test.Echo/Big";
    public const string BidiFails = "/cairn.test.Echo/BidiFails";

    /// <summary>How each call to <see cref="Slow"/> ended, as the handler saw it: "deadline", "cancelled".</summary>
    public ConcurrentQueue<string> SlowOutcomes { get; } = new();

    public void Register(GrpcServiceRegistry registry)
    {
        registry.AddUnary<PutRequest, RangeResponse>(Unary, PutRequest.Parser, EchoAsync);
        registry.AddServerStreaming<RangeRequest, RangeResponse>(ServerStream, RangeRequest.Parser, CountAsync);
        registry.AddBidiStreaming<PutRequest, PutResponse>(Bidi, PutRequest.Parser, EchoEachAsync);
        registry.AddUnary<PutRequest, RangeResponse>(Slow, PutRequest.Parser, SlowAsync);
        registry.AddUnary<PutRequest, RangeResponse>(Throws, PutRequest.Parser, (_, _) => throw new InvalidOperationException("boom: the handler broke"));
        registry.AddUnary<PutRequest, RangeResponse>(Fails, PutRequest.Parser, FailAsync);
        registry.AddServerStreaming<RangeRequest, RangeResponse>(StreamThenFail, RangeRequest.Parser, StreamThenFailAsync);
        registry.AddUnary<RangeRequest, RangeResponse>(Big, RangeRequest.Parser, BigAsync);
        registry.AddBidiStreaming<PutRequest, PutResponse>(BidiFails, PutRequest.Parser, async (requests, _, _) =>
        {
            await requests.ReadAsync();
            throw new RpcException(GrpcStatusCode.FailedPrecondition, "etcdserver: not leader");
        });
    }

    /// <summary>Echoes key and value, plus the metadata the server saw (token, client-api-version, hasleader, deadline).</summary>
    private static ValueTask<RangeResponse> EchoAsync(PutRequest request, ServerCallContext context)
    {
        var response = new RangeResponse { Kvs = { new KeyValue { Key = request.Key, Value = request.Value } } };
        AddMetadata(response, "token", context.AuthToken);
        AddMetadata(response, "client-api-version", context.ClientApiVersion);
        AddMetadata(response, "hasleader", context.RequiresLeader ? "true" : null);
        AddMetadata(response, "deadline", context.Deadline is null ? null : "set");
        AddMetadata(response, "method", context.Method.MethodName);
        return ValueTask.FromResult(response);
    }

    private static void AddMetadata(RangeResponse response, string key, string? value)
    {
        if (value is not null)
        {
            response.Kvs.Add(new KeyValue { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) });
        }
    }

    /// <summary>Streams <c>limit</c> responses numbered 1..limit.</summary>
    private static async ValueTask CountAsync(RangeRequest request, IGrpcStreamWriter<RangeResponse> responses, ServerCallContext context)
    {
        for (long i = 1; i <= request.Limit; i++)
        {
            await responses.WriteAsync(new RangeResponse { Count = i, Kvs = { new KeyValue { Key = request.Key } } });
        }
    }

    /// <summary>Answers each request with its key as prev_kv; ends when the client half-closes.</summary>
    private static async ValueTask EchoEachAsync(IGrpcStreamReader<PutRequest> requests, IGrpcStreamWriter<PutResponse> responses, ServerCallContext context)
    {
        long count = 0;
        while (await requests.ReadAsync() is { } request)
        {
            count++;
            await responses.WriteAsync(new PutResponse { PrevKv = new KeyValue { Key = request.Key, Value = request.Value, Version = count } });
        }
    }

    private async ValueTask<RangeResponse> SlowAsync(PutRequest request, ServerCallContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            SlowOutcomes.Enqueue(context.DeadlineExceeded ? "deadline" : "cancelled");
            throw;
        }

        return new RangeResponse();
    }

    /// <summary>Fails with the status named by the key: a code number, the message in the value.</summary>
    private static ValueTask<RangeResponse> FailAsync(PutRequest request, ServerCallContext context) =>
        throw new RpcException((GrpcStatusCode)int.Parse(request.Key.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture), request.Value.ToStringUtf8());

    private static async ValueTask StreamThenFailAsync(RangeRequest request, IGrpcStreamWriter<RangeResponse> responses, ServerCallContext context)
    {
        await responses.WriteAsync(new RangeResponse { Count = 1 });
        await responses.WriteAsync(new RangeResponse { Count = 2 });
        throw new RpcException(GrpcStatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted");
    }

    /// <summary>Answers with a value of <c>limit</c> bytes.</summary>
    private static ValueTask<RangeResponse> BigAsync(RangeRequest request, ServerCallContext context) =>
        ValueTask.FromResult(new RangeResponse { Kvs = { new KeyValue { Value = ByteString.CopyFrom(new byte[request.Limit]) } } });
}
