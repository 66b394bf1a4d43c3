using System.Security.Cryptography;
using Cairn.Testing;
using StockEtcdctl = Cairn.Testing.Etcdctl;

namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>
/// Stock etcdctl verbs whose output names the server itself (member name, peer URLs, snapshot file), checked against
/// cairn serve alone; everything comparable is compared with real etcd in the differential tests.
/// </summary>
public class CairnOnlyVerbTests
{
    [Fact]
    public async Task Member_list_endpoint_status_and_snapshot_save_work_with_stock_etcdctl()
    {
        await using CairnServer cairn = await CairnServer.StartAsync();
        using var files = new TempDirectory("cairn-snapshot");
        (await StockEtcdctl.RunAsync(cairn.Endpoint, "put", "k", "v")).EnsureSuccess("put");

        ProcessResult members = (await StockEtcdctl.RunAsync(cairn.Endpoint, "member", "list")).EnsureSuccess("member list");
        string[] fields = members.Stdout.Trim().Split(", ");
        Assert.Equal(6, fields.Length);
        Assert.Matches("^[0-9a-f]{1,16}$", fields[0]);
        Assert.Equal(["started", "cairn-test"], fields[1..3]);
        Assert.Equal([cairn.ClientUrl, "false"], fields[4..6]);

        ProcessResult status = (await StockEtcdctl.RunAsync(cairn.Endpoint, "endpoint", "status")).EnsureSuccess("endpoint status");
        Assert.StartsWith($"{cairn.Endpoint}, {fields[0]}, 3.4.", status.Stdout, StringComparison.Ordinal);
        Assert.Contains(", true, false, ", status.Stdout, StringComparison.Ordinal);

        // etcdctl keeps the stream as is: the state, then the SHA-256 of it (it checks size % 512 == 32 itself).
        string snapshot = files.Combine("cairn.snapshot");
        ProcessResult saved = (await StockEtcdctl.RunAsync(cairn.Endpoint, "snapshot", "save", snapshot)).EnsureSuccess("snapshot save");
        Assert.Contains($"Snapshot saved at {snapshot}", saved.Stdout, StringComparison.Ordinal);
        byte[] bytes = await File.ReadAllBytesAsync(snapshot);
        Assert.Equal(32, bytes.Length % 512);
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)), bytes[^32..]);
    }

    [Fact]
    public async Task Lease_keep_alive_renews_until_etcdctl_is_stopped()
    {
        await using CairnServer cairn = await CairnServer.StartAsync();
        ProcessResult granted = (await StockEtcdctl.RunAsync(cairn.Endpoint, "lease", "grant", "5")).EnsureSuccess("lease grant");
        string lease = granted.Stdout.Split(' ')[1];

        await using (EtcdctlProcess keepAlive = EtcdctlProcess.Start(cairn.Endpoint, "lease", "keep-alive", lease))
        {
            IReadOnlyList<string> lines = await keepAlive.WaitForLinesAsync(2);
            Assert.Equal($"lease {lease} keepalived with TTL(5)", lines[0]);
        }

        ProcessResult ttl = (await StockEtcdctl.RunAsync(cairn.Endpoint, "lease", "timetolive", lease)).EnsureSuccess("timetolive");
        Assert.Matches($"^lease {lease} granted with TTL\\(5s\\), remaining\\([345]s\\)$", ttl.Stdout.Trim());
    }

    [Fact]
    public async Task Per_endpoint_verbs_work_with_url_endpoints_as_kubeadm_and_scripts_give_them()
    {
        // etcdctl sends such an endpoint URL verbatim as the HTTP/2 :authority of these calls.
        await using CairnServer cairn = await CairnServer.StartAsync();
        string url = cairn.ClientUrl;
        Assert.StartsWith("http://", url, StringComparison.Ordinal);

        ProcessResult status = (await StockEtcdctl.RunAsync(url, "endpoint", "status")).EnsureSuccess("endpoint status");
        Assert.StartsWith($"{url}, ", status.Stdout, StringComparison.Ordinal);
        ProcessResult cluster = (await StockEtcdctl.RunAsync(url, "endpoint", "status", "--cluster")).EnsureSuccess("endpoint status --cluster");
        Assert.StartsWith($"{url}, ", cluster.Stdout, StringComparison.Ordinal);
        ProcessResult hash = (await StockEtcdctl.RunAsync(url, "endpoint", "hashkv")).EnsureSuccess("endpoint hashkv");
        Assert.Matches($"^{url}, [0-9]+$", hash.Stdout.Trim());
        ProcessResult defrag = (await StockEtcdctl.RunAsync(url, "defrag")).EnsureSuccess("defrag");
        Assert.Equal($"Finished defragmenting etcd member[{url}]", defrag.Stdout.Trim());
    }
}
