using Cairn.Client;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Client;

public class ClientOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:2379")]
    [InlineData("http://127.0.0.1:2379")]
    [InlineData("https://etcd.example:2379")]
    [InlineData("[::1]:2379")]
    [InlineData("localhost:2379")]
    public void Accepts_etcdctl_style_endpoints(string endpoint)
    {
        using EtcdClient client = EtcdClient.Connect(endpoint);
        Assert.Equal(1, client.Invoker.EndpointCount);
    }

    [Fact]
    public void Bare_endpoint_is_cleartext_unless_tls_options_are_set()
    {
        using EtcdClient plain = EtcdClient.Connect("127.0.0.1:2379");
        Assert.Equal("http://127.0.0.1:2379", plain.Invoker.EndpointName(0));

        var options = new EtcdClientOptions { InsecureSkipVerify = true };
        options.Endpoints.Add("127.0.0.1:2379");
        using var tls = new EtcdClient(options);
        Assert.Equal("https://127.0.0.1:2379", tls.Invoker.EndpointName(0));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("unix:///var/run/etcd.sock")]
    [InlineData("ftp://127.0.0.1:2379")]
    [InlineData("http://")]
    public void Rejects_malformed_endpoints_naming_them(string endpoint)
    {
        var error = Assert.Throws<ArgumentException>(() => EtcdClient.Connect(endpoint));
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
        Assert.Contains("host:port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_no_endpoints()
    {
        var error = Assert.Throws<ArgumentException>(() => new EtcdClient(new EtcdClientOptions()));
        Assert.Contains("--endpoints", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_certificate_without_its_key()
    {
        var options = new EtcdClientOptions { CertFile = "client.pem" };
        options.Endpoints.Add("127.0.0.1:2379");
        var error = Assert.Throws<ArgumentException>(() => new EtcdClient(options));
        Assert.Contains("--cert and --key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_zero_connections()
    {
        var options = new EtcdClientOptions { ConnectionsPerEndpoint = 0 };
        options.Endpoints.Add("127.0.0.1:2379");
        Assert.Throws<ArgumentOutOfRangeException>(() => new EtcdClient(options));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a' }, new byte[] { (byte)'b' })]
    [InlineData(new byte[] { (byte)'a', 0xFF }, new byte[] { (byte)'b' })]
    [InlineData(new byte[] { 0x01, 0xFF, 0xFF }, new byte[] { 0x02 })]
    [InlineData(new byte[] { 0xFF, 0xFF }, new byte[] { 0x00 })]
    [InlineData(new byte[0], new byte[] { 0x00 })]
    public void Prefix_range_end_follows_clientv3(byte[] prefix, byte[] expectedEnd)
    {
        Assert.Equal(expectedEnd, EtcdKeys.PrefixRangeEnd(ByteString.CopyFrom(prefix)).ToByteArray());
    }
}
