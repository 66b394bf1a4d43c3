using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Protocol.Tests.Tools;
using Google.Protobuf;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Cairn.Protocol.Tests.Server;

/// <summary>With TLS, one port serves gRPC (ALPN h2) and HTTP/1.1 (ALPN http/1.1); mutual TLS works with Cairn.Client and etcdctl.</summary>
public sealed class TlsPortTests(TlsPortTests.Certificates shared) : IAsyncLifetime, IClassFixture<TlsPortTests.Certificates>
{
    private readonly TestCertificates _certificates = shared.Value;
    private TestServer _server = null!;

    /// <summary>RSA key generation is slow: one set of certificates for the whole class.</summary>
    public sealed class Certificates : IDisposable
    {
        internal TestCertificates Value { get; } = TestCertificates.Create();

        public void Dispose() => Value.Dispose();
    }

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(
            register: registry => registry.AddUnary<StatusRequest, StatusResponse>(Cairn.Protocol.EtcdMethods.Maintenance.Status, StatusRequest.Parser, (_, context) =>
                ValueTask.FromResult(new StatusResponse { Version = "3.4.35", Header = new ResponseHeader { MemberId = 7 }, Errors = { context.ClientCertificate?.Subject ?? "no client certificate" } })),
            configurePort: port =>
            {
                port.ServerCertificate = _certificates.Server;
                port.ConfigureHttps = https =>
                {
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => ValidateAgainst(_certificates.Ca, certificate);
                };
            });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static bool ValidateAgainst(X509Certificate2 ca, X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        return chain.Build(certificate);
    }

    [Fact]
    public async Task Client_speaks_grpc_over_tls_with_a_ca_file()
    {
        using EtcdClient client = TestClients.For("https://" + _server.Endpoint, options => options.CaFile = _certificates.CaFile);
        RangeResponse response = await client.Invoker.UnaryAsync(TestService.Unary, new PutRequest { Key = ByteString.CopyFromUtf8("tls") }, RangeResponse.Parser, Cairn.Client.Grpc.RetryPolicy.NonRepeatable);
        Assert.Equal("tls", response.Kvs[0].Key.ToStringUtf8());
    }

    [Fact]
    public async Task Bare_endpoint_uses_tls_when_tls_options_are_given_and_client_certificates_reach_the_handler()
    {
        using EtcdClient client = TestClients.For(_server.Endpoint, options =>
        {
            options.CaFile = _certificates.CaFile;
            options.CertFile = _certificates.ClientCertFile;
            options.KeyFile = _certificates.ClientKeyFile;
        });
        StatusResponse status = await client.Maintenance.StatusAsync(new StatusRequest());
        Assert.Equal("CN=root", status.Errors.Single());
    }

    [Fact]
    public async Task Untrusted_server_certificate_fails_unless_verification_is_skipped()
    {
        using EtcdClient strict = TestClients.For("https://" + _server.Endpoint);
        var error = await Assert.ThrowsAsync<RpcException>(() => strict.Maintenance.StatusAsync(new StatusRequest()));
        Assert.Equal(GrpcStatusCode.Unavailable, error.StatusCode);

        using EtcdClient lax = TestClients.For("https://" + _server.Endpoint, options => options.InsecureSkipVerify = true);
        Assert.Equal("3.4.35", (await lax.Maintenance.StatusAsync(new StatusRequest())).Version);
    }

    [Fact]
    public async Task Curl_gets_http1_and_http2_on_the_same_tls_port_by_alpn()
    {
        var http1 = await ExternalProcess.RunAsync("curl", ["-sS", "--cacert", _certificates.CaFile, "--http1.1", _server.BaseUrl + "/test/hello"]);
        var http2 = await ExternalProcess.RunAsync("curl", ["-sS", "--cacert", _certificates.CaFile, "--http2", _server.BaseUrl + "/test/hello"]);

        Assert.Equal("hello over HTTP/1.1\n", http1.Stdout);
        Assert.Equal("hello over HTTP/2\n", http2.Stdout);
    }

    [Fact]
    public async Task Etcdctl_with_mutual_tls_reads_status()
    {
        var result = await ExternalProcess.RunAsync("etcdctl", [
            "--endpoints", "https://" + _server.Endpoint, "--cacert", _certificates.CaFile,
            "--cert", _certificates.ClientCertFile, "--key", _certificates.ClientKeyFile,
            "endpoint", "status", "-w", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement status = json.RootElement[0].GetProperty("Status");
        Assert.Equal("3.4.35", status.GetProperty("version").GetString());
        Assert.Equal("CN=root", status.GetProperty("errors")[0].GetString());
    }
}
