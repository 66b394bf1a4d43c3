using Cairn.Testing;
using StockEtcdctl = Cairn.Testing.Etcdctl;

namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>
/// The verbs that keep running (watch, lock, elect) as real etcdctl processes: the same scenario against real etcd
/// and cairn serve must print the same lines (after normalizing lease-derived key suffixes).
/// </summary>
public class LongRunningVerbTests
{
    [Fact]
    public async Task Watch_with_rev_prefix_and_prev_kv_prints_what_etcd_prints()
    {
        await using ServerPair servers = await ServerPair.StartAsync();
        List<string> fromEtcd = await WatchScenarioAsync(servers.Etcd.Endpoint);
        List<string> fromCairn = await WatchScenarioAsync(servers.Cairn.Endpoint);

        Assert.Equal(Normalize(fromEtcd, servers.Etcd.Endpoint), Normalize(fromCairn, servers.Cairn.Endpoint));
    }

    [Fact]
    public async Task Lock_is_exclusive_and_released_when_the_holder_stops_as_on_etcd()
    {
        await using ServerPair servers = await ServerPair.StartAsync();
        List<string> fromEtcd = await LockScenarioAsync(servers.Etcd.Endpoint);
        List<string> fromCairn = await LockScenarioAsync(servers.Cairn.Endpoint);

        Assert.Equal(Normalize(fromEtcd, servers.Etcd.Endpoint), Normalize(fromCairn, servers.Cairn.Endpoint));
    }

    [Fact]
    public async Task Elect_campaigns_observes_and_hands_over_leadership_as_on_etcd()
    {
        await using ServerPair servers = await ServerPair.StartAsync();
        List<string> fromEtcd = await ElectScenarioAsync(servers.Etcd.Endpoint);
        List<string> fromCairn = await ElectScenarioAsync(servers.Cairn.Endpoint);

        Assert.Equal(Normalize(fromEtcd, servers.Etcd.Endpoint), Normalize(fromCairn, servers.Cairn.Endpoint));
    }

    private static async Task<List<string>> WatchScenarioAsync(string endpoint)
    {
        var transcript = new List<string>();
        await PutAsync(endpoint, "w/1", "a");
        await PutAsync(endpoint, "w/1", "b");
        await PutAsync(endpoint, "other", "x");

        // History from revision 2 (both w/1 puts), then live events; simple and JSON output side by side. The put of
        // w/end is the last event both watchers see.
        await using EtcdctlProcess simple = EtcdctlProcess.Start(endpoint, "watch", "--rev", "2", "--prefix", "w", "--prev-kv");
        await using EtcdctlProcess json = EtcdctlProcess.Start(endpoint, "watch", "--rev", "3", "w", "w0", "-w", "json");
        // The history arrives first (its header carries the revision at that moment), then the live puts.
        await simple.WaitForLineAsync("b");
        await json.WaitForLinesAsync(1);
        await PutAsync(endpoint, "w/2", "c");
        (await StockEtcdctl.RunAsync(endpoint, "del", "w/1")).EnsureSuccess("del w/1");
        await PutAsync(endpoint, "w/end", "end");

        transcript.AddRange(await simple.WaitForLineAsync("end"));
        transcript.Add("--- json");
        transcript.AddRange(await json.WaitForAsync(lines => lines.Any(line => line.Contains("\"dy9lbmQ=\"", StringComparison.Ordinal)), "the w/end event"));
        return transcript;
    }

    private static async Task<List<string>> LockScenarioAsync(string endpoint)
    {
        var transcript = new List<string>();
        await using EtcdctlProcess holder = EtcdctlProcess.Start(endpoint, "lock", "L1");
        // etcdctl prints the owner key and then an empty line; wait for both so the transcript does not depend on
        // how fast the second line follows the first.
        transcript.AddRange(await holder.WaitForLinesAsync(2));
        await using EtcdctlProcess waiter = EtcdctlProcess.Start(endpoint, "lock", "L1", "echo", "second-acquired");

        // The waiter must not get the lock while the holder has it.
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        transcript.Add($"waiter lines while held: {waiter.Lines.Count}");
        Assert.True(Signals.Send(ProcessIdOf(holder), Signals.Terminate), "SIGTERM to the lock holder");
        transcript.AddRange(await waiter.WaitForLinesAsync(1));
        transcript.Add("--- lock owners after release");
        var owners = await StockEtcdctl.RunAsync(endpoint, "get", "L1", "--prefix", "--keys-only");
        transcript.Add(owners.EnsureSuccess("get L1").Stdout);
        return transcript;
    }

    private static async Task<List<string>> ElectScenarioAsync(string endpoint)
    {
        var transcript = new List<string>();
        await using EtcdctlProcess first = EtcdctlProcess.Start(endpoint, "elect", "E1", "p1");
        transcript.AddRange(await first.WaitForLinesAsync(2));
        await using EtcdctlProcess observer = EtcdctlProcess.Start(endpoint, "elect", "-l", "E1");
        transcript.AddRange(await observer.WaitForLinesAsync(2));
        await using EtcdctlProcess second = EtcdctlProcess.Start(endpoint, "elect", "E1", "p2");
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        transcript.Add($"second lines while first leads: {second.Lines.Count}");
        Assert.True(Signals.Send(ProcessIdOf(first), Signals.Terminate), "SIGTERM to the leader");
        transcript.AddRange(await second.WaitForLinesAsync(2));
        transcript.Add("--- observer");
        transcript.AddRange(await observer.WaitForLinesAsync(4));
        return transcript;
    }

    private static async Task PutAsync(string endpoint, string key, string value) =>
        (await StockEtcdctl.RunAsync(endpoint, "put", key, value)).EnsureSuccess($"put {key}");

    private static int ProcessIdOf(EtcdctlProcess process) => process.ProcessId;

    private static string Normalize(List<string> lines, string endpoint) =>
        string.Join('\n', lines.ConvertAll(line => EtcdctlOutput.NormalizeText(line, endpoint).TrimEnd('\n')));
}
