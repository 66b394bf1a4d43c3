namespace Cairn.Testing;

/// <summary>
/// Real etcd (Debian's etcd-server 3.4.23, /usr/bin/etcd): the oracle of the differential tests and the
/// opponent of the benchmarks. A single-node server on free loopback ports with its own temp data dir.
/// </summary>
public sealed class EtcdServer : ServerProcess
{
    private readonly TempDirectory dataDirectory;

    private EtcdServer(TempDirectory dataDirectory, int clientPort, int peerPort, IEnumerable<string> extraArguments)
        : base("/usr/bin/etcd", Arguments(dataDirectory, clientPort, peerPort, extraArguments), null)
    {
        this.dataDirectory = dataDirectory;
        ClientUrl = $"http://127.0.0.1:{clientPort}";
    }

    /// <summary>The client URL, e.g. http://127.0.0.1:40123.</summary>
    public string ClientUrl { get; }

    /// <summary>The client endpoint as etcdctl takes it (host:port).</summary>
    public string Endpoint => ClientUrl["http://".Length..];

    /// <summary>Starts etcd and waits until /health answers.</summary>
    public static async Task<EtcdServer> StartAsync(params string[] extraArguments)
    {
        if (!File.Exists("/usr/bin/etcd"))
        {
            throw new InvalidOperationException("/usr/bin/etcd is missing: ./build.sh test installs etcd-server");
        }
        var server = new EtcdServer(new TempDirectory("etcd"), FreePort.Next(), FreePort.Next(), extraArguments);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await server.WaitUntilAsync(
            async () => (await http.GetAsync($"{server.ClientUrl}/health")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "healthy");
        return server;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        dataDirectory.Dispose();
    }

    private static IEnumerable<string> Arguments(TempDirectory dataDirectory, int clientPort, int peerPort, IEnumerable<string> extra)
    {
        string client = $"http://127.0.0.1:{clientPort}";
        string peer = $"http://127.0.0.1:{peerPort}";
        return new[]
        {
            "--name", "oracle", "--data-dir", dataDirectory.Path,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"oracle={peer}", "--logger", "zap", "--log-outputs", "stderr",
        }.Concat(extra);
    }
}
