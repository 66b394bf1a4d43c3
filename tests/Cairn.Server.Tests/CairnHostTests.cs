using System.Net;
using System.Net.Sockets;
using Cairn.Configuration;
using Cairn.Protocol;
using Cairn.Server.Hosting;

namespace Cairn.Server.Tests;

/// <summary>The Kestrel host: /version as etcd answers it, listener errors, TLS.</summary>
public class CairnHostTests
{
    private static CairnConfig ListeningOn(params string[] urls) => CairnConfig.Default with
    {
        Client = CairnConfig.Default.Client with { ListenUrls = urls.Select(u => new Uri(u)).ToArray() },
    };

    private static Task<CairnHost> StartAsync(CairnConfig config) =>
        CairnHost.StartAsync(config, ServeRunner.CreateLoggerProvider(new LogConfig(), new MemoryStream()), CancellationToken.None);

    [Fact]
    public async Task Version_answers_with_etcds_json_exactly()
    {
        await using CairnHost host = await StartAsync(ListeningOn("http://127.0.0.1:0"));
        using var client = new HttpClient();

        using HttpResponseMessage response = await client.GetAsync($"{Assert.Single(host.ClientAddresses)}/version");
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal($"{{\"etcdserver\":\"{EtcdCompatibility.ServerVersion}\",\"etcdcluster\":\"{EtcdCompatibility.ClusterVersion}\"}}", System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal(45, body.Length);
    }

    [Fact]
    public async Task Other_methods_and_paths_are_refused()
    {
        await using CairnHost host = await StartAsync(ListeningOn("http://127.0.0.1:0"));
        using var client = new HttpClient { BaseAddress = new Uri(host.ClientAddresses[0]) };

        using HttpResponseMessage post = await client.PostAsync("/version", null);
        using HttpResponseMessage missing = await client.GetAsync("/nothing-here");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_port_in_use_is_a_clear_start_error()
    {
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        int port = ((IPEndPoint)occupier.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<HostStartException>(() => StartAsync(ListeningOn($"http://127.0.0.1:{port}")));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("address already in use", error.Message);
        Assert.Contains("change client.listen_urls", error.Message);
    }

    [Fact]
    public async Task An_address_not_on_this_machine_is_a_clear_start_error()
    {
        var error = await Assert.ThrowsAsync<HostStartException>(() => StartAsync(ListeningOn("http://192.0.2.1:2379")));

        Assert.Contains("http://192.0.2.1:2379", error.Message);
        Assert.Contains("not on this machine", error.Message);
    }

    [Fact]
    public async Task Https_listener_serves_with_the_configured_certificate()
    {
        using var certificates = new TestCertificates();
        CairnConfig config = ListeningOn("https://127.0.0.1:0") with
        {
            Client = ListeningOn("https://127.0.0.1:0").Client with { Tls = new TlsConfig { CertFile = certificates.ServerCertFile, KeyFile = certificates.ServerKeyFile } },
        };
        await using CairnHost host = await StartAsync(config);
        string? seenSubject = null;
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => { seenSubject = cert?.Subject; return true; } };
        using var client = new HttpClient(handler);

        string body = await client.GetStringAsync($"{host.ClientAddresses[0]}/version");

        Assert.StartsWith("https://", host.ClientAddresses[0]);
        Assert.Contains("etcdserver", body);
        Assert.Equal("CN=server", seenSubject);
    }

    [Fact]
    public async Task Client_cert_auth_refuses_clients_without_a_trusted_certificate()
    {
        using var certificates = new TestCertificates();
        var tls = new TlsConfig { CertFile = certificates.ServerCertFile, KeyFile = certificates.ServerKeyFile, TrustedCaFile = certificates.CaFile, ClientCertAuth = true };
        CairnConfig config = ListeningOn("https://127.0.0.1:0") with { Client = ListeningOn("https://127.0.0.1:0").Client with { Tls = tls } };
        await using CairnHost host = await StartAsync(config);
        string url = $"{host.ClientAddresses[0]}/version";

        using var anonymousHandler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var anonymous = new HttpClient(anonymousHandler);
        using var trustedHandler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        trustedHandler.ClientCertificates.Add(certificates.LoadClientCertificate());
        using var trusted = new HttpClient(trustedHandler);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.GetStringAsync(url));
        Assert.Contains("etcdserver", await trusted.GetStringAsync(url));
    }

    [Fact]
    public async Task A_missing_certificate_file_is_a_clear_start_error()
    {
        CairnConfig config = ListeningOn("https://127.0.0.1:0") with
        {
            Client = ListeningOn("https://127.0.0.1:0").Client with { Tls = new TlsConfig { CertFile = "/nonexistent/c.pem", KeyFile = "/nonexistent/k.pem" } },
        };

        var error = await Assert.ThrowsAsync<HostStartException>(() => StartAsync(config));

        Assert.StartsWith("cannot load TLS file /nonexistent/c.pem", error.Message);
    }
}
