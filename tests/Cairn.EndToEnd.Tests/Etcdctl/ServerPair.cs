using System.Text.RegularExpressions;
using Cairn.Testing;
using StockEtcdctl = Cairn.Testing.Etcdctl;

namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>
/// Real etcd 3.4 and the AOT <c>cairn serve</c>, both fresh (revision 1): every step runs the same stock etcdctl
/// command against each and asserts that the normalized outputs (<see cref="EtcdctlOutput"/>) are identical.
/// Arguments may contain <c>{lease}</c> (the lease ID that server granted last, see <see cref="GrantLeaseAsync"/>) and
/// <c>{member}</c> (the server's member ID, see <see cref="LearnMemberIdsAsync"/>), replaced per server.
/// </summary>
internal sealed partial class ServerPair : IAsyncDisposable
{
    private readonly Dictionary<(string Endpoint, string Placeholder), string> placeholders = new();

    private ServerPair(EtcdServer etcd, CairnServer cairn)
    {
        Etcd = etcd;
        Cairn = cairn;
    }

    /// <summary>The oracle.</summary>
    public EtcdServer Etcd { get; }

    /// <summary>The server under test.</summary>
    public CairnServer Cairn { get; }

    /// <summary>Starts both servers in parallel.</summary>
    public static async Task<ServerPair> StartAsync(string[]? etcdArguments = null, string[]? cairnArguments = null)
    {
        Task<EtcdServer> etcd = EtcdServer.StartAsync(etcdArguments ?? []);
        Task<CairnServer> cairn = CairnServer.StartAsync(extraArguments: cairnArguments);
        try
        {
            await Task.WhenAll(etcd, cairn);
        }
        catch
        {
            await DisposeStartedAsync(etcd, cairn);
            throw;
        }

        return new ServerPair(etcd.Result, cairn.Result);
    }

    /// <summary>Runs <c>etcdctl ARGS</c> against both servers and asserts the same normalized exit code and output.</summary>
    public Task<string> SameAsync(params string[] arguments) => SameWithInputAsync(null, arguments);

    /// <summary>As <see cref="SameAsync"/>, with <paramref name="stdin"/> piped to etcdctl.</summary>
    public async Task<string> SameWithInputAsync(string? stdin, params string[] arguments)
    {
        ProcessResult fromEtcd = await RunAsync(Etcd.Endpoint, stdin, arguments);
        ProcessResult fromCairn = await RunAsync(Cairn.Endpoint, stdin, arguments);
        string expected = EtcdctlOutput.Normalize(fromEtcd, Etcd.Endpoint, KnownIds(Etcd.Endpoint));
        string actual = EtcdctlOutput.Normalize(fromCairn, Cairn.Endpoint, KnownIds(Cairn.Endpoint));
        if (expected != actual)
        {
            Assert.Fail($"etcdctl {string.Join(' ', arguments)}: cairn differs from etcd\n--- etcd:\n{expected}--- cairn:\n{actual}");
        }

        return actual;
    }

    /// <summary>Reads each server's member ID (hex, from <c>member list</c>) for <c>{member}</c>.</summary>
    public async Task LearnMemberIdsAsync()
    {
        foreach (string endpoint in new[] { Etcd.Endpoint, Cairn.Endpoint })
        {
            ProcessResult members = (await StockEtcdctl.RunAsync(endpoint, "member", "list")).EnsureSuccess($"member list on {endpoint}");
            placeholders[(endpoint, "{member}")] = members.Stdout.Split(',')[0].Trim();
        }
    }

    /// <summary>Grants a lease with <paramref name="ttlSeconds"/> on both servers and remembers each ID for <c>{lease}</c>.</summary>
    public async Task GrantLeaseAsync(int ttlSeconds)
    {
        foreach (string endpoint in new[] { Etcd.Endpoint, Cairn.Endpoint })
        {
            ProcessResult granted = (await StockEtcdctl.RunAsync(endpoint, "lease", "grant", ttlSeconds.ToString()))
                .EnsureSuccess($"lease grant on {endpoint}");
            Match id = LeaseGranted().Match(granted.Stdout);
            Assert.True(id.Success, $"unexpected lease grant output from {endpoint}: {granted.Stdout}");
            placeholders[(endpoint, "{lease}")] = id.Groups[1].Value;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await DisposeStartedAsync(Task.FromResult(Etcd), Task.FromResult(Cairn));

    private Task<ProcessResult> RunAsync(string endpoint, string? stdin, string[] arguments)
    {
        string[] resolved = Array.ConvertAll(arguments, argument =>
        {
            foreach (var ((owner, placeholder), value) in placeholders)
            {
                argument = owner == endpoint ? argument.Replace(placeholder, value, StringComparison.Ordinal) : argument;
            }

            return argument;
        });
        return StockEtcdctl.RunWithInputAsync(endpoint, stdin, resolved);
    }

    private IEnumerable<string> KnownIds(string endpoint) =>
        placeholders.Where(entry => entry.Key.Endpoint == endpoint).Select(entry => entry.Value);

    private static async Task DisposeStartedAsync(Task<EtcdServer> etcd, Task<CairnServer> cairn)
    {
        if (etcd.IsCompletedSuccessfully)
        {
            await etcd.Result.DisposeAsync();
        }

        if (cairn.IsCompletedSuccessfully)
        {
            await cairn.Result.DisposeAsync();
        }
    }

    [GeneratedRegex("^lease ([0-9a-f]+) granted")]
    private static partial Regex LeaseGranted();
}
