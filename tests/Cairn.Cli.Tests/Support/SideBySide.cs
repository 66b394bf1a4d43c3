using System.Text;
using Xunit.Sdk;

namespace Cairn.Cli.Tests.Support;

/// <summary>
/// Runs the same command line through stock etcdctl (against <see cref="FakeEtcdServer"/>) and through cairn's
/// verbs (in-process, <see cref="ScriptedSession"/>) with one script, and compares stdout byte for byte, stderr,
/// the exit code and the requests each tool sent.
/// </summary>
public static class SideBySide
{
    /// <summary>Asserts that cairn behaves exactly like etcdctl for <paramref name="args"/>.</summary>
    public static Task<(CommandResult Etcdctl, CommandResult Cairn)> AssertSameAsync(EtcdScript script, params string[] args) =>
        AssertSameWithInputAsync(script, null, args);

    /// <summary>Same as <see cref="AssertSameAsync"/> with <paramref name="stdin"/> fed to both tools.</summary>
    public static Task<(CommandResult Etcdctl, CommandResult Cairn)> AssertSameWithInputAsync(EtcdScript script, string? stdin, params string[] args) =>
        AssertSameWithEnvironmentAsync(script, stdin, null, args);

    /// <summary>Same as <see cref="AssertSameAsync"/> with stdin and environment variables given to both tools.</summary>
    public static async Task<(CommandResult Etcdctl, CommandResult Cairn)> AssertSameWithEnvironmentAsync(
        EtcdScript script, string? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var (etcdctl, cairn, etcdctlRequests, cairnRequests) = await RunBothAsync(script, stdin, args, environment);
        string context = $"command: {string.Join(' ', args)}\n--- etcdctl ---\n{etcdctl}\n--- cairn ---\n{cairn}";
        if (!etcdctl.Stdout.AsSpan().SequenceEqual(cairn.Stdout))
        {
            throw new XunitException($"stdout differs\n{Diff(etcdctl.Stdout, cairn.Stdout)}\n{context}");
        }
        if (etcdctl.Stderr != cairn.Stderr)
        {
            throw new XunitException($"stderr differs\n{context}");
        }
        if (etcdctl.ExitCode != cairn.ExitCode)
        {
            throw new XunitException($"exit code differs\n{context}");
        }
        Assert.Equal(Describe(WithoutWatchCancels(etcdctlRequests)), Describe(WithoutWatchCancels(cairnRequests)));
        return (etcdctl, cairn);
    }

    /// <summary>Runs both tools and returns their results and the requests each sent, without comparing.</summary>
    public static async Task<(CommandResult Etcdctl, CommandResult Cairn, List<(string, byte[])> EtcdctlRequests, List<(string, byte[])> CairnRequests)> RunBothAsync(
        EtcdScript script, string? stdin, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var server = await FakeEtcdServer.StartAsync(script);
        var etcdctl = await EtcdctlRaw.RunAsync(server.Endpoint, args, stdin, environment);
        var etcdctlRequests = Drain(script);
        // cairn is told the same endpoint so that endpoint names in the output match.
        var cairn = CliRun.Run(ScriptedSession.For(script), ["--endpoints", server.Endpoint, .. args],
            stdin is null ? null : Encoding.UTF8.GetBytes(stdin), environment);
        var cairnRequests = Drain(script);
        return (etcdctl, cairn, etcdctlRequests, cairnRequests);
    }

    /// <summary>Requests as "method hex" lines, for readable assertion failures.</summary>
    public static List<string> Describe(IEnumerable<(string Method, byte[] Request)> requests) =>
        requests.Select(r => $"{r.Method} {Convert.ToHexString(r.Request)}").ToList();

    // Whether etcdctl's client sends a cancel for a watch the server already canceled depends on timing.
    private static IEnumerable<(string Method, byte[] Request)> WithoutWatchCancels(IEnumerable<(string Method, byte[] Request)> requests) =>
        requests.Where(r => r.Method != "Watch/Watch" || Protocol.Etcd.WatchRequest.Parser.ParseFrom(r.Request).CancelRequest is null);

    private static List<(string, byte[])> Drain(EtcdScript script)
    {
        var requests = new List<(string, byte[])>();
        while (script.Received.TryDequeue(out var request))
        {
            requests.Add(request);
        }
        return requests;
    }

    private static string Diff(byte[] expected, byte[] actual)
    {
        int index = 0;
        while (index < expected.Length && index < actual.Length && expected[index] == actual[index])
        {
            index++;
        }
        string Around(byte[] bytes) => Convert.ToHexString(bytes, Math.Max(0, index - 8), Math.Min(bytes.Length, index + 16) - Math.Max(0, index - 8));
        return $"first difference at byte {index} (etcdctl {expected.Length} bytes, cairn {actual.Length} bytes)\netcdctl: {Around(expected)}\ncairn:   {Around(actual)}";
    }
}
