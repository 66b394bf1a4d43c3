using System.Text.RegularExpressions;
using Cairn.Cli.Session;
using Cairn.Cli.Tests.Support;
using Cairn.Testing;

namespace Cairn.Cli.Tests.EndToEnd;

/// <summary>
/// Two fresh real etcd 3.4 servers that answer identically to the same sequence of requests: both advertise the
/// same (unused) peer URL, so their member and cluster IDs are equal. Stock etcdctl drives one, cairn (in-process,
/// over Cairn.Client) the other; outputs then differ only in the client port, lease IDs and timings.
/// </summary>
public sealed class TwinEtcd : IAsyncDisposable
{
    private const string SharedPeerUrl = "http://127.0.0.1:2380";

    private TwinEtcd(EtcdServer forEtcdctl, EtcdServer forCairn)
    {
        ForEtcdctl = forEtcdctl;
        ForCairn = forCairn;
    }

    /// <summary>The server etcdctl talks to.</summary>
    public EtcdServer ForEtcdctl { get; }

    /// <summary>The server cairn talks to.</summary>
    public EtcdServer ForCairn { get; }

    /// <summary>Starts both servers.</summary>
    public static async Task<TwinEtcd> StartAsync()
    {
        string[] sameIdentity = ["--initial-advertise-peer-urls", SharedPeerUrl, "--initial-cluster", $"oracle={SharedPeerUrl}"];
        var servers = await Task.WhenAll(EtcdServer.StartAsync(sameIdentity), EtcdServer.StartAsync(sameIdentity));
        // etcd decides its cluster version a few seconds after start, with a raft entry of its own; wait for it on
        // both, so the raft indexes endpoint status reports are the same.
        await Task.WhenAll(servers.Select(WaitForClusterVersionAsync));
        return new TwinEtcd(servers[0], servers[1]);
    }

    private static async Task WaitForClusterVersionAsync(EtcdServer server)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            string version = await http.GetStringAsync($"{server.ClientUrl}/version");
            if (!version.Contains("not_decided", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"etcd at {server.Endpoint} did not decide its cluster version within 30 s");
    }

    /// <summary>Runs stock etcdctl against its server.</summary>
    public Task<CommandResult> EtcdctlAsync(string[] args, string? stdin = null) => EtcdctlRaw.RunAsync(ForEtcdctl.Endpoint, args, stdin);

    /// <summary>Runs cairn's verbs in-process over Cairn.Client against its server (same flags as etcdctl gets).</summary>
    public CommandResult Cairn(string[] args, string? stdin = null) =>
        CliRun.Run(new ClientSessionFactory(), ["--endpoints", ForCairn.Endpoint, "--dial-timeout", "5s", "--command-timeout", "20s", .. args],
            stdin is null ? null : System.Text.Encoding.UTF8.GetBytes(stdin));

    /// <summary>Runs the native-AOT cairn binary (out/cairn or $CAIRN_BIN) against its server.</summary>
    public Task<CommandResult> CairnBinaryAsync(string[] args, string? stdin = null) =>
        RawProcess.RunAsync(RepositoryPaths.CairnBinary, ["--endpoints", ForCairn.Endpoint, "--dial-timeout", "5s", "--command-timeout", "20s", .. args], stdin);

    /// <summary>Replaces what legitimately differs between the twins (client ports, given IDs) by placeholders.</summary>
    public static string Normalize(string text, IReadOnlyDictionary<string, string> replacements)
    {
        foreach (var (value, placeholder) in replacements)
        {
            text = text.Replace(value, placeholder, StringComparison.Ordinal);
        }
        return Regex.Replace(text, @"127\.0\.0\.1:\d{5}", "127.0.0.1:PORT");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await ForEtcdctl.DisposeAsync();
        await ForCairn.DisposeAsync();
    }
}
