using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Interop;

/// <summary>Cairn.Client against real etcd 3.4 (grpc-go): KV, errors and transport behaviour.</summary>
[Collection(RealEtcdCollection.Name)]
public sealed class RealEtcdKvTests(RealEtcd etcd) : IDisposable
{
    private readonly EtcdClient _client = Server.TestClients.For(etcd.Endpoint);

    public void Dispose() => _client.Dispose();

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    [Fact]
    public async Task Put_get_prefix_and_delete()
    {
        PutResponse first = await _client.KV.PutAsync(new PutRequest { Key = Bytes("kv/a"), Value = Bytes("1") });
        await _client.KV.PutAsync(new PutRequest { Key = Bytes("kv/b"), Value = Bytes("2") });
        PutResponse overwrite = await _client.KV.PutAsync(new PutRequest { Key = Bytes("kv/a"), Value = Bytes("3"), PrevKv = true });
        Assert.True(first.Header.Revision > 0);
        Assert.NotEqual(0ul, first.Header.ClusterId);
        Assert.Equal("1", overwrite.PrevKv.Value.ToStringUtf8());

        RangeResponse single = await _client.KV.RangeAsync(new RangeRequest { Key = Bytes("kv/a") });
        Assert.Equal("3", single.Kvs.Single().Value.ToStringUtf8());
        Assert.Equal(2, single.Kvs[0].Version);

        RangeResponse prefix = await _client.KV.RangeAsync(new RangeRequest { Key = Bytes("kv/"), RangeEnd = EtcdKeys.PrefixRangeEnd(Bytes("kv/")) });
        Assert.Equal(["kv/a", "kv/b"], prefix.Kvs.Select(kv => kv.Key.ToStringUtf8()));
        Assert.Equal(2, prefix.Count);

        DeleteRangeResponse deleted = await _client.KV.DeleteRangeAsync(new DeleteRangeRequest { Key = Bytes("kv/"), RangeEnd = EtcdKeys.PrefixRangeEnd(Bytes("kv/")), PrevKv = true });
        Assert.Equal(2, deleted.Deleted);
        Assert.Empty((await _client.KV.RangeAsync(new RangeRequest { Key = Bytes("kv/a") })).Kvs);
    }

    [Fact]
    public async Task Txn_compares_and_branches()
    {
        await _client.KV.PutAsync(new PutRequest { Key = Bytes("txn/k"), Value = Bytes("v1") });
        var txn = new TxnRequest
        {
            Compare = { new Compare { Key = Bytes("txn/k"), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = Bytes("v1") } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = Bytes("txn/k"), Value = Bytes("v2") } } },
            Failure = { new RequestOp { RequestRange = new RangeRequest { Key = Bytes("txn/k") } } },
        };

        TxnResponse won = await _client.KV.TxnAsync(txn);
        TxnResponse lost = await _client.KV.TxnAsync(txn);

        Assert.True(won.Succeeded);
        Assert.NotNull(won.Responses.Single().ResponsePut);
        Assert.False(lost.Succeeded);
        Assert.Equal("v2", lost.Responses.Single().ResponseRange.Kvs.Single().Value.ToStringUtf8());
    }

    [Fact]
    public async Task Compaction_and_its_errors_carry_etcds_codes_and_messages()
    {
        PutResponse put = await _client.KV.PutAsync(new PutRequest { Key = Bytes("compact/k"), Value = Bytes("old") });
        await _client.KV.PutAsync(new PutRequest { Key = Bytes("compact/k"), Value = Bytes("new") });
        long oldRevision = put.Header.Revision;
        await _client.KV.CompactAsync(new CompactionRequest { Revision = oldRevision + 1 });

        var compacted = await Assert.ThrowsAsync<RpcException>(() => _client.KV.RangeAsync(new RangeRequest { Key = Bytes("compact/k"), Revision = oldRevision }));
        Assert.Equal(GrpcStatusCode.OutOfRange, compacted.StatusCode);
        Assert.Equal("etcdserver: mvcc: required revision has been compacted", compacted.Message);

        var future = await Assert.ThrowsAsync<RpcException>(() => _client.KV.RangeAsync(new RangeRequest { Key = Bytes("compact/k"), Revision = 1_000_000 }));
        Assert.Equal(GrpcStatusCode.OutOfRange, future.StatusCode);
        Assert.Equal("etcdserver: mvcc: required revision is a future revision", future.Message);
    }

    [Fact]
    public async Task Empty_key_is_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.KV.PutAsync(new PutRequest { Value = Bytes("v") }));
        Assert.Equal(GrpcStatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: key is not provided", error.Message);
        Assert.Equal("rpc error: code = InvalidArgument desc = etcdserver: key is not provided", error.GoErrorString);
    }

    [Fact]
    public async Task Unknown_method_and_service_use_the_same_wording_as_cairn()
    {
        var method = await Assert.ThrowsAsync<RpcException>(() =>
            _client.Invoker.UnaryAsync("/etcdserverpb.KV/Nope", new RangeRequest(), RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable));
        Assert.Equal(GrpcStatusCode.Unimplemented, method.StatusCode);
        Assert.Equal("unknown method Nope for service etcdserverpb.KV", method.Message);

        var service = await Assert.ThrowsAsync<RpcException>(() =>
            _client.Invoker.UnaryAsync("/etcdserverpb.Foo/Bar", new RangeRequest(), RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable));
        Assert.Equal("unknown service etcdserverpb.Foo", service.Message);
    }

    [Fact]
    public async Task Oversized_request_is_rejected_by_grpc_go_as_cairn_rejects_it()
    {
        using EtcdClient client = Server.TestClients.For(etcd.Endpoint, options => options.MaxSendMessageBytes = int.MaxValue);
        var request = new PutRequest { Key = Bytes("big"), Value = ByteString.CopyFrom(new byte[2_202_000]) };
        var error = await Assert.ThrowsAsync<RpcException>(() => client.KV.PutAsync(request));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal($"grpc: received message larger than max ({request.CalculateSize()} vs. 2097152)", error.Message);
    }

    [Fact]
    public async Task Request_just_over_max_request_bytes_is_etcds_own_error()
    {
        var request = new PutRequest { Key = Bytes("toolarge"), Value = ByteString.CopyFrom(new byte[1_572_864 + 100]) };
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.KV.PutAsync(request));
        Assert.Equal(GrpcStatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: request is too large", error.Message);
    }

    [Fact]
    public async Task Etcd_has_no_gzip_decompressor()
    {
        // etcd 3.4 does not register grpc-go's gzip codec, so gzip is only for servers that offer it (Cairn does).
        using EtcdClient client = Server.TestClients.For(etcd.Endpoint, options => options.RequestCompression = GrpcCompression.Gzip);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.KV.PutAsync(new PutRequest { Key = Bytes("gzip/k"), Value = ByteString.CopyFrom(new byte[50_000]) }));
        Assert.Equal(GrpcStatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("grpc: Decompressor is not installed for grpc-encoding \"gzip\"", error.Message);
    }

    [Fact]
    public async Task Failover_skips_a_dead_endpoint_for_reads_and_writes()
    {
        int deadPort = Cairn.Testing.FreePort.Next();
        using EtcdClient client = Server.TestClients.For($"127.0.0.1:{deadPort}", options => options.Endpoints.Add(etcd.Endpoint));

        await client.KV.PutAsync(new PutRequest { Key = Bytes("failover/k"), Value = Bytes("v") });
        RangeResponse response = await client.KV.RangeAsync(new RangeRequest { Key = Bytes("failover/k") });
        Assert.Equal("v", response.Kvs.Single().Value.ToStringUtf8());
    }

    [Fact]
    public async Task Only_dead_endpoints_is_unavailable()
    {
        int deadPort = Cairn.Testing.FreePort.Next();
        using EtcdClient client = Server.TestClients.For($"127.0.0.1:{deadPort}");
        var error = await Assert.ThrowsAsync<RpcException>(() => client.KV.RangeAsync(new RangeRequest { Key = Bytes("x") }));
        Assert.Equal(GrpcStatusCode.Unavailable, error.StatusCode);
        Assert.Contains($"127.0.0.1:{deadPort}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_connections_carry_concurrent_calls()
    {
        using EtcdClient client = Server.TestClients.For(etcd.Endpoint, options => options.ConnectionsPerEndpoint = 4);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            client.KV.PutAsync(new PutRequest { Key = Bytes($"conns/{i:D3}"), Value = Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) })));
        RangeResponse all = await client.KV.RangeAsync(new RangeRequest { Key = Bytes("conns/"), RangeEnd = EtcdKeys.PrefixRangeEnd(Bytes("conns/")), CountOnly = true });
        Assert.Equal(200, all.Count);
    }

    [Fact]
    public async Task Health_check_is_serving()
    {
        var response = await _client.Health.CheckAsync(new Cairn.Protocol.Health.HealthCheckRequest());
        Assert.Equal(Cairn.Protocol.Health.HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Client_with_credentials_carries_on_when_auth_is_disabled()
    {
        using EtcdClient client = Server.TestClients.For(etcd.Endpoint, options => { options.Username = "root"; options.Password = "pw"; });
        await client.KV.PutAsync(new PutRequest { Key = Bytes("noauth/k"), Value = Bytes("v") });
        Assert.Null(client.AuthToken);
    }
}
