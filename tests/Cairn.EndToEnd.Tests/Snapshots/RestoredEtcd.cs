using Cairn.Testing;
using StockEtcdctl = Cairn.Testing.Etcdctl;

namespace Cairn.EndToEnd.Tests.Snapshots;

/// <summary>
/// Real etcd 3.4 started on a data directory that <c>etcdctl snapshot restore</c> made from a snapshot file: the
/// proof that a backup saved from a server can be moved into etcd with etcd's own tools.
/// </summary>
internal sealed class RestoredEtcd : Cairn.Testing.ServerProcess
{
    private const string Name = "restored";

    private readonly TempDirectory _directory;

    private RestoredEtcd(TempDirectory directory, string dataDirectory, int clientPort, int peerPort)
        : base("/usr/bin/etcd", Arguments(dataDirectory, clientPort, peerPort), null)
    {
        _directory = directory;
        ClientUrl = $"http://127.0.0.1:{clientPort}";
    }

    /// <summary>The client URL.</summary>
    public string ClientUrl { get; }

    /// <summary>The client endpoint as etcdctl takes it.</summary>
    public string Endpoint => ClientUrl["http://".Length..];

    /// <summary>Restores <paramref name="snapshotFile"/> with stock etcdctl, starts etcd on it, waits until healthy.</summary>
    public static async Task<RestoredEtcd> StartAsync(string snapshotFile)
    {
        var directory = new TempDirectory("etcd-restored");
        string dataDirectory = directory.Combine("data");
        int clientPort = FreePort.Next();
        int peerPort = FreePort.Next();
        string peer = $"http://127.0.0.1:{peerPort}";
        (await StockEtcdctl.RunAsync("127.0.0.1:1", "snapshot", "restore", snapshotFile, "--data-dir", dataDirectory,
            "--name", Name, "--initial-cluster", $"{Name}={peer}", "--initial-advertise-peer-urls", peer))
            .EnsureSuccess("etcdctl snapshot restore");
        var server = new RestoredEtcd(directory, dataDirectory, clientPort, peerPort);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
            await server.WaitUntilAsync(
                async () => (await http.GetAsync($"{server.ClientUrl}/health")).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60),
                "healthy");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    private static IEnumerable<string> Arguments(string dataDirectory, int clientPort, int peerPort)
    {
        string client = $"http://127.0.0.1:{clientPort}";
        string peer = $"http://127.0.0.1:{peerPort}";
        return
        [
            "--name", Name, "--data-dir", dataDirectory,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"{Name}={peer}", "--logger", "zap", "--log-outputs", "stderr",
        ];
    }
}
