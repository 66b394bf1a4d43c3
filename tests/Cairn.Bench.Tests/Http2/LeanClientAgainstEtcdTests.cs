using Cairn.Bench.Grpc;
using Cairn.Bench.Http2;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Bench.Tests.Http2;

/// <summary>The lean HTTP/2 gRPC client against real etcd 3.4 (grpc-go 1.33): responses, trailers, errors, flow control, streams.</summary>
public sealed class LeanClientAgainstEtcdTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    private async Task<LeanGrpcChannel> ConnectAsync(int connections = 1, Http2ConnectionOptions? options = null)
    {
        BenchEndpoint.TryParse(etcd.Endpoint, out BenchEndpoint endpoint, out _);
        return await LeanGrpcChannel.ConnectAsync([endpoint], connections, options ?? new Http2ConnectionOptions(), CancellationToken.None);
    }

    private static async Task<(GrpcStatusCode Status, string Message, TResponse? Response)> CallAsync<TResponse>(
        LeanGrpcChannel channel, string path, IMessage request, MessageParser<TResponse> parser, int connection = 0)
        where TResponse : class, IMessage<TResponse>
    {
        Http2Connection conn = channel[connection];
        Http2Stream stream = conn.StartUnary(channel.HeadersFor(conn, path), request.ToByteArray());
        await stream.WaitAsync();
        TResponse? response = stream.Status == GrpcStatusCode.OK ? parser.ParseFrom(stream.ResponseMessage) : null;
        var result = (stream.Status, stream.StatusMessage, response);
        conn.Release(stream);
        return result;
    }

    [Fact]
    public async Task Put_then_range_round_trips_through_real_etcd()
    {
        using LeanGrpcChannel channel = await ConnectAsync();
        var put = await CallAsync(channel, EtcdMethods.KV.Put,
            new PutRequest { Key = ByteString.CopyFromUtf8("lean/a"), Value = ByteString.CopyFromUtf8("value-a") }, PutResponse.Parser);
        Assert.Equal(GrpcStatusCode.OK, put.Status);
        Assert.True(put.Response!.Header.Revision > 1);

        var range = await CallAsync(channel, EtcdMethods.KV.Range, new RangeRequest { Key = ByteString.CopyFromUtf8("lean/a") }, RangeResponse.Parser);
        Assert.Equal(GrpcStatusCode.OK, range.Status);
        Assert.Equal("value-a", Assert.Single(range.Response!.Kvs).Value.ToStringUtf8());
        Assert.Equal(put.Response.Header.Revision, range.Response.Header.Revision);
    }

    [Fact]
    public async Task Etcd_errors_arrive_with_their_code_and_exact_message()
    {
        using LeanGrpcChannel channel = await ConnectAsync();
        var emptyKey = await CallAsync(channel, EtcdMethods.KV.Put, new PutRequest(), PutResponse.Parser);
        Assert.Equal(GrpcStatusCode.InvalidArgument, emptyKey.Status);
        Assert.Equal("etcdserver: key is not provided", emptyKey.Message);

        var noLease = await CallAsync(channel, EtcdMethods.Lease.LeaseRevoke, new LeaseRevokeRequest { ID = 12345 }, LeaseRevokeResponse.Parser);
        Assert.Equal(GrpcStatusCode.NotFound, noLease.Status);
        Assert.Equal("etcdserver: requested lease not found", noLease.Message);

        var unknown = await CallAsync(channel, "/etcdserverpb.KV/Nope", new RangeRequest(), RangeResponse.Parser);
        Assert.Equal(GrpcStatusCode.Unimplemented, unknown.Status);
        Assert.Equal("unknown method Nope for service etcdserverpb.KV", unknown.Message);

        // The connection is still good after errors.
        var after = await CallAsync(channel, EtcdMethods.KV.Range, new RangeRequest { Key = ByteString.CopyFromUtf8("x") }, RangeResponse.Parser);
        Assert.Equal(GrpcStatusCode.OK, after.Status);
    }
}
