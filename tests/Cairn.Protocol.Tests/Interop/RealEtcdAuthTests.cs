using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Interop;

/// <summary>Token handling against a real etcd with authentication enabled (its own server: enabling auth is global).</summary>
public sealed class RealEtcdAuthTests : IAsyncLifetime
{
    private readonly RealEtcd _etcd = new();

    public async Task InitializeAsync()
    {
        await _etcd.InitializeAsync();
        using EtcdClient admin = Server.TestClients.For(_etcd.Endpoint);
        await admin.Auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "rootpw" });
        await admin.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = "root" });
        await admin.Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" });
        await admin.Auth.AuthEnableAsync(new AuthEnableRequest());
    }

    public Task DisposeAsync() => _etcd.DisposeAsync();

    [Fact]
    public async Task Credentials_get_a_token_that_authorizes_calls_and_streams()
    {
        using EtcdClient client = Server.TestClients.For(_etcd.Endpoint, options => { options.Username = "root"; options.Password = "rootpw"; });
        await client.KV.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("auth/k"), Value = ByteString.CopyFromUtf8("v") });
        Assert.NotNull(client.AuthToken);
        Assert.Matches(@"^[a-zA-Z]{16}\.\d+$", client.AuthToken);

        await using WatchStream watch = await client.Watch.OpenAsync();
        await watch.CreateAsync(new WatchCreateRequest { Key = ByteString.CopyFromUtf8("auth/k") });
        WatchResponse created = (await watch.ReadAsync())!;
        Assert.True(created.Created);
        Assert.False(created.Canceled, created.CancelReason);
    }

    [Fact]
    public async Task No_token_is_user_name_is_empty()
    {
        using EtcdClient client = Server.TestClients.For(_etcd.Endpoint);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.KV.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("auth/k") }));
        Assert.Equal(GrpcStatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: user name is empty", error.Message);
    }

    [Fact]
    public async Task Wrong_password_is_authentication_failed()
    {
        using EtcdClient client = Server.TestClients.For(_etcd.Endpoint, options => { options.Username = "root"; options.Password = "wrong"; });
        var error = await Assert.ThrowsAsync<RpcException>(() => client.KV.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("auth/k") }));
        Assert.Equal(GrpcStatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: authentication failed, invalid user ID or password", error.Message);
    }
}
