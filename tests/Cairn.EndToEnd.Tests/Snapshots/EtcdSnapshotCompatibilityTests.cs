using System.Diagnostics;
using System.Text.Json.Nodes;
using Cairn.Client;
using Cairn.Testing;
using StockEtcdctl = Cairn.Testing.Etcdctl;

namespace Cairn.EndToEnd.Tests.Snapshots;

/// <summary>
/// A backup taken from Cairn with stock <c>etcdctl snapshot save</c> is an etcd database: <c>etcdctl snapshot
/// status</c> reads it with the numbers real etcd reports after the same writes, and <c>etcdctl snapshot restore</c>
/// turns it into a data directory on which real etcd 3.4 serves the same keys, history and leases.
/// </summary>
public class EtcdSnapshotCompatibilityTests
{
    [Fact]
    public async Task A_snapshot_saved_from_cairn_restores_into_real_etcd_with_keys_history_and_leases()
    {
        using var files = new TempDirectory("cairn-bolt-snapshot");
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using CairnServer cairn = await CairnServer.StartAsync();
        long compactRevision;
        long leaseId;
        using (EtcdClient client = SnapshotWorkload.Connect(etcd.Endpoint))
        {
            await SnapshotWorkload.ApplyAsync(client);
        }

        using (EtcdClient client = SnapshotWorkload.Connect(cairn.Endpoint))
        {
            (compactRevision, leaseId) = await SnapshotWorkload.ApplyAsync(client);
        }

        JsonNode etcdStatus = await SaveAndReadStatusAsync(etcd.Endpoint, files.Combine("etcd.db"));
        string cairnFile = files.Combine("cairn.db");
        JsonNode cairnStatus = await SaveUntilStatusMatchesAsync(cairn.Endpoint, cairnFile, etcdStatus);
        JsonNode cairnKeys = await GetAllAsync(cairn.Endpoint);
        Assert.Equal((long)cairnKeys["header"]!["revision"]!, (long)cairnStatus["revision"]!);
        Assert.Equal(0, (long)cairnStatus["totalSize"]! % 4096);

        await using RestoredEtcd restored = await RestoredEtcd.StartAsync(cairnFile);
        JsonNode restoredKeys = await GetAllAsync(restored.Endpoint);
        Assert.Equal(cairnKeys["header"]!["revision"]!.ToJsonString(), restoredKeys["header"]!["revision"]!.ToJsonString());
        Assert.Equal(SnapshotWorkload.BulkTxns * SnapshotWorkload.PutsPerTxn - 11 + 7, (long)cairnKeys["count"]!);
        AssertSameKeyValues(cairnKeys, restoredKeys);

        // History: the compaction revision is still readable, anything older is compacted away, as on Cairn.
        AssertSameKeyValues(await GetAllAsync(cairn.Endpoint, "--rev", $"{compactRevision}"),
            await GetAllAsync(restored.Endpoint, "--rev", $"{compactRevision}"));
        ProcessResult compacted = await StockEtcdctl.RunAsync(restored.Endpoint, "get", "over", "--rev", $"{compactRevision - 1}");
        Assert.Contains("required revision has been compacted", compacted.Stderr, StringComparison.Ordinal);

        string lease = leaseId.ToString("x16");
        JsonNode timeToLive = JsonNode.Parse((await StockEtcdctl.RunAsync(restored.Endpoint, "lease", "timetolive", lease, "--keys", "-w", "json"))
            .EnsureSuccess("lease timetolive").Stdout)!;
        Assert.Equal(600, (long)timeToLive["granted-ttl"]!);
        Assert.Equal(["bGVhc2VkL2E=", "bGVhc2VkL2I="], timeToLive["keys"]!.AsArray().Select(key => (string)key!).Order());
        ProcessResult leases = (await StockEtcdctl.RunAsync(restored.Endpoint, "lease", "list")).EnsureSuccess("lease list");
        Assert.Equal($"found 1 leases\n{lease}\n", leases.Stdout);
    }

    [Fact]
    public async Task A_snapshot_of_an_empty_cairn_reads_like_one_of_an_empty_etcd_and_restores()
    {
        using var files = new TempDirectory("cairn-bolt-snapshot");
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using CairnServer cairn = await CairnServer.StartAsync();

        JsonNode etcdStatus = await SaveUntilStatusMatchesAsync(etcd.Endpoint, files.Combine("etcd.db"), expected: null);
        string cairnFile = files.Combine("cairn.db");
        JsonNode cairnStatus = await SaveUntilStatusMatchesAsync(cairn.Endpoint, cairnFile, etcdStatus);
        Assert.Equal(0, (long)cairnStatus["revision"]!);

        await using RestoredEtcd restored = await RestoredEtcd.StartAsync(cairnFile);
        JsonNode restoredKeys = await GetAllAsync(restored.Endpoint);
        Assert.Null(restoredKeys["kvs"]);
        Assert.Equal(1, (long)restoredKeys["header"]!["revision"]!);
        ProcessResult put = (await StockEtcdctl.RunAsync(restored.Endpoint, "put", "k", "v", "-w", "json")).EnsureSuccess("put");
        Assert.Equal(2, (long)JsonNode.Parse(put.Stdout)!["header"]!["revision"]!);
    }

    /// <summary>
    /// The cluster version is written a moment after a server starts (etcd's "clusterVersion" key), so the key count
    /// settles shortly after startup; this saves until the status matches <paramref name="expected"/> (revision and
    /// key count), or, with no expectation, until the cluster version is in the file.
    /// </summary>
    private static async Task<JsonNode> SaveUntilStatusMatchesAsync(string endpoint, string file, JsonNode? expected)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            File.Delete(file);
            JsonNode status = await SaveAndReadStatusAsync(endpoint, file);
            bool settled = expected is null
                ? File.ReadAllBytes(file).AsSpan().IndexOf("clusterVersion"u8) >= 0
                : (long)status["revision"]! == (long)expected["revision"]! && (long)status["totalKey"]! == (long)expected["totalKey"]!;
            if (settled)
            {
                return status;
            }

            if (stopwatch.Elapsed > TimeSpan.FromSeconds(45))
            {
                Assert.Fail($"snapshot status of {endpoint} is {status.ToJsonString()}, expected {expected?.ToJsonString() ?? "a cluster version"}");
            }

            await Task.Delay(500);
        }
    }

    private static async Task<JsonNode> SaveAndReadStatusAsync(string endpoint, string file)
    {
        (await StockEtcdctl.RunAsync(endpoint, "snapshot", "save", file)).EnsureSuccess("etcdctl snapshot save");
        ProcessResult status = (await StockEtcdctl.RunAsync(endpoint, "snapshot", "status", file, "-w", "json"))
            .EnsureSuccess("etcdctl snapshot status");
        return JsonNode.Parse(status.Stdout)!;
    }

    private static async Task<JsonNode> GetAllAsync(string endpoint, params string[] extra)
    {
        ProcessResult get = (await StockEtcdctl.RunAsync(endpoint, ["get", "", "--prefix", "-w", "json", .. extra]))
            .EnsureSuccess("etcdctl get");
        return JsonNode.Parse(get.Stdout)!;
    }

    private static void AssertSameKeyValues(JsonNode expected, JsonNode actual)
    {
        JsonArray expectedKvs = expected["kvs"]!.AsArray();
        JsonArray actualKvs = actual["kvs"]!.AsArray();
        Assert.Equal(expectedKvs.Count, actualKvs.Count);
        for (int i = 0; i < expectedKvs.Count; i++)
        {
            Assert.Equal(expectedKvs[i]!.ToJsonString(), actualKvs[i]!.ToJsonString());
        }
    }
}
