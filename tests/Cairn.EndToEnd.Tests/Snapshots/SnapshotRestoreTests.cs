using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cairn.Client;
using Cairn.Testing;
using StockEtcdctl = Cairn.Testing.Etcdctl;

namespace Cairn.EndToEnd.Tests.Snapshots;

/// <summary>
/// <c>cairn snapshot restore</c> moves an etcd into Cairn: a backup saved from real etcd 3.4 (or from Cairn) becomes a
/// data directory on which <c>cairn serve</c> answers what the source answered (keys, values, revisions, versions,
/// history back to the compaction, leases with their keys); bad input fails as <c>etcdctl snapshot restore</c> fails.
/// </summary>
public class SnapshotRestoreTests
{
    // The name CairnServer serves as, so the restore's membership check passes as it does for etcdctl.
    private const string MemberName = "cairn-test";

    // CairnServer's (default) peer URL; a single member does not listen on it.
    private const string PeerUrl = "http://127.0.0.1:2380";

    [Fact]
    public async Task A_backup_of_real_etcd_restores_into_cairn_with_keys_history_and_leases()
    {
        using var files = new TempDirectory("cairn-restore");
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        (long compactRevision, long leaseId) = await ApplyWorkloadAsync(etcd.Endpoint);
        string backup = files.Combine("etcd.db");
        (await StockEtcdctl.RunAsync(etcd.Endpoint, "snapshot", "save", backup)).EnsureSuccess("etcdctl snapshot save");

        await AssertRestoredAnswersLikeSourceAsync(files, backup, etcd.Endpoint, compactRevision, leaseId);
    }

    [Fact]
    public async Task A_backup_of_cairn_restores_into_a_new_cairn()
    {
        using var files = new TempDirectory("cairn-restore");
        await using CairnServer cairn = await CairnServer.StartAsync();
        (long compactRevision, long leaseId) = await ApplyWorkloadAsync(cairn.Endpoint);
        string backup = files.Combine("cairn.db");
        (await CairnCli.RunAsync("--endpoints", cairn.Endpoint, "snapshot", "save", backup)).EnsureSuccess("cairn snapshot save");

        await AssertRestoredAnswersLikeSourceAsync(files, backup, cairn.Endpoint, compactRevision, leaseId);
    }

    [Fact]
    public async Task A_member_added_to_a_restored_cairn_receives_the_restored_state()
    {
        using var files = new TempDirectory("cairn-restore-grow");
        string backup = files.Combine("etcd.db");
        await using (EtcdServer etcd = await EtcdServer.StartAsync())
        {
            await ApplyWorkloadAsync(etcd.Endpoint);
            (await StockEtcdctl.RunAsync(etcd.Endpoint, "snapshot", "save", backup)).EnsureSuccess("etcdctl snapshot save");
        }

        (string client1, string peer1) = ($"http://127.0.0.1:{FreePort.Next()}", $"http://127.0.0.1:{FreePort.Next()}");
        (string client2, string peer2) = ($"http://127.0.0.1:{FreePort.Next()}", $"http://127.0.0.1:{FreePort.Next()}");
        (await CairnCli.RunAsync("snapshot", "restore", backup, "--data-dir", files.Combine("m1"), "--name", "m1",
            "--initial-cluster", $"m1={peer1}", "--initial-advertise-peer-urls", peer1)).EnsureSuccess("cairn snapshot restore");
        await using ClusterMemberProcess first = await StartMemberAsync("m1", files.Combine("m1"), client1, peer1, $"m1={peer1}", "new");
        string endpoint1 = client1["http://".Length..];
        (await StockEtcdctl.RunAsync(endpoint1, "member", "add", "m2", $"--peer-urls={peer2}")).EnsureSuccess("member add");
        await using ClusterMemberProcess second = await StartMemberAsync("m2", files.Combine("m2"), client2, peer2,
            $"m1={peer1},m2={peer2}", "existing");
        string endpoint2 = client2["http://".Length..];

        // The new member never saw the log before the restored state, so it can only have the keys by snapshot.
        JsonNode expected = await GetAllAsync(endpoint1);
        await second.WaitForAsync(async () =>
        {
            ProcessResult get = await StockEtcdctl.RunAsync(endpoint2, "get", "", "--prefix", "-w", "json", "--consistency=s");
            return get.ExitCode == 0 && JsonNode.Parse(get.Stdout)!["header"]!["revision"]!.GetValue<long>() == (long)expected["header"]!["revision"]!;
        }, TimeSpan.FromSeconds(60), "the new member at the restored revision");
        AssertSameKeyValues(expected, await GetAllAsync(endpoint2, "--consistency=s"));
        ProcessResult hashes = (await StockEtcdctl.RunAsync($"{endpoint1},{endpoint2}", "endpoint", "hashkv", "-w", "json"))
            .EnsureSuccess("endpoint hashkv");
        JsonArray both = JsonNode.Parse(hashes.Stdout)!.AsArray();
        Assert.Equal((long)both[0]!["HashKV"]!["hash"]!, (long)both[1]!["HashKV"]!["hash"]!);
    }

    private static async Task<ClusterMemberProcess> StartMemberAsync(string name, string dataDirectory, string clientUrl,
        string peerUrl, string initialCluster, string state)
    {
        var member = new ClusterMemberProcess(new MemberCommand(RepositoryPaths.CairnBinary,
        [
            "serve", "--name", name, "--data-dir", dataDirectory, "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", initialCluster,
            "--initial-cluster-state", state,
        ]));
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
            await member.WaitForAsync(async () => (await http.GetAsync($"{clientUrl}/health")).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60), $"{name} healthy");
            return member;
        }
        catch
        {
            await member.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Bad_input_fails_with_the_message_and_exit_code_of_etcdctl()
    {
        using var files = new TempDirectory("cairn-restore-bad");
        byte[] pages = RandomNumberGenerator.GetBytes(3 * 4096);
        string corruptHash = files.Combine("corrupt-hash.db");
        await File.WriteAllBytesAsync(corruptHash, [.. pages, .. RandomNumberGenerator.GetBytes(32)]);
        string noHash = files.Combine("no-hash.db");
        await File.WriteAllBytesAsync(noHash, pages);
        string existing = files.Combine("existing");
        Directory.CreateDirectory(existing);

        // etcdctl creates the data directory before it checks the hash, so each tool gets its own ({dir}) where
        // the directory is not what is tested.
        string[][] cases =
        [
            ["snapshot", "restore", corruptHash, "--data-dir", "{dir}"],
            ["snapshot", "restore", noHash, "--data-dir", "{dir}"],
            ["snapshot", "restore", files.Combine("missing.db"), "--data-dir", "{dir}"],
            ["snapshot", "restore", corruptHash, "--data-dir", existing],
            ["snapshot", "restore", corruptHash, "--data-dir", "{dir}", "--name", "elsewhere"],
            ["snapshot", "restore", corruptHash, "--data-dir", "{dir}", "--initial-advertise-peer-urls", "http://127.0.0.1:2"],
            ["snapshot", "restore"],
        ];
        for (int i = 0; i < cases.Length; i++)
        {
            string[] For(string tool) => [.. cases[i].Select(argument => argument == "{dir}" ? files.Combine($"{tool}-{i}") : argument)];
            ProcessResult expected = await StockEtcdctl.RunAsync("127.0.0.1:1", For("etcdctl"));
            ProcessResult actual = await CairnCli.RunAsync(For("cairn"));
            Assert.True(expected.ExitCode != 0, $"etcdctl {string.Join(' ', cases[i])} succeeded");
            Assert.Equal((expected.ExitCode, ErrorLine(expected)), (actual.ExitCode, ErrorLine(actual)));
            Assert.False(Directory.Exists(files.Combine($"cairn-{i}")), "cairn left a data directory behind");
        }

        // A file with a valid hash that is not a bbolt database: etcdctl panics (exit 2) naming the database as
        // invalid; cairn gives the same exit code and reason, and leaves no data directory behind.
        string notBolt = files.Combine("not-bolt.db");
        await File.WriteAllBytesAsync(notBolt, [.. pages, .. SHA256.HashData(pages)]);
        ProcessResult etcdctlPanic = await StockEtcdctl.RunAsync("127.0.0.1:1", "snapshot", "restore", notBolt, "--data-dir", files.Combine("e5"));
        ProcessResult cairnFailure = await CairnCli.RunAsync("snapshot", "restore", notBolt, "--data-dir", files.Combine("c5"));
        Assert.Equal(2, etcdctlPanic.ExitCode);
        Assert.Contains("(invalid database)", etcdctlPanic.Stderr, StringComparison.Ordinal);
        Assert.Equal(etcdctlPanic.ExitCode, cairnFailure.ExitCode);
        Assert.Equal($"Error: cannot open database at {notBolt} (invalid database)", ErrorLine(cairnFailure));
        Assert.False(Directory.Exists(files.Combine("c5")));
    }

    private static async Task<(long CompactRevision, long LeaseId)> ApplyWorkloadAsync(string endpoint)
    {
        using EtcdClient client = SnapshotWorkload.Connect(endpoint);
        return await SnapshotWorkload.ApplyAsync(client);
    }

    /// <summary>Restores <paramref name="backup"/> with cairn, starts cairn on it and compares its answers with
    /// those of the server the backup came from (which is still running and unchanged).</summary>
    private static async Task AssertRestoredAnswersLikeSourceAsync(TempDirectory files, string backup, string source,
        long compactRevision, long leaseId)
    {
        string dataDirectory = files.Combine("restored");
        (await CairnCli.RunAsync("snapshot", "restore", backup, "--data-dir", dataDirectory, "--name", MemberName,
            "--initial-cluster", $"{MemberName}={PeerUrl}", "--initial-advertise-peer-urls", PeerUrl)).EnsureSuccess("cairn snapshot restore");
        await using CairnServer restored = await CairnServer.StartAsync(dataDirectory);

        JsonNode expected = await GetAllAsync(source);
        JsonNode actual = await GetAllAsync(restored.Endpoint);
        long revision = (long)expected["header"]!["revision"]!;
        Assert.Equal(revision, (long)actual["header"]!["revision"]!);
        Assert.Equal(SnapshotWorkload.BulkTxns * SnapshotWorkload.PutsPerTxn - 11 + 7, (long)actual["count"]!);
        AssertSameKeyValues(expected, actual);
        AssertSameKeyValues(await GetAllAsync(source, "--rev", $"{compactRevision}"),
            await GetAllAsync(restored.Endpoint, "--rev", $"{compactRevision}"));
        ProcessResult compacted = await StockEtcdctl.RunAsync(restored.Endpoint, "get", "over", "--rev", $"{compactRevision - 1}");
        Assert.Contains("required revision has been compacted", compacted.Stderr, StringComparison.Ordinal);
        Assert.Equal(revision, await StatusRevisionAsync(source));
        Assert.Equal(revision, await StatusRevisionAsync(restored.Endpoint));

        JsonNode sourceLease = await TimeToLiveAsync(source, leaseId);
        JsonNode restoredLease = await TimeToLiveAsync(restored.Endpoint, leaseId);
        Assert.Equal(600, (long)restoredLease["granted-ttl"]!);
        Assert.InRange((long)restoredLease["ttl"]!, 1, 600);
        Assert.Equal(Keys(sourceLease), Keys(restoredLease));
        Assert.Equal(["bGVhc2VkL2E=", "bGVhc2VkL2I="], Keys(restoredLease));

        // The restored store goes on from the backup's revision.
        ProcessResult put = (await StockEtcdctl.RunAsync(restored.Endpoint, "put", "new", "value", "-w", "json")).EnsureSuccess("put");
        Assert.Equal(revision + 1, (long)JsonNode.Parse(put.Stdout)!["header"]!["revision"]!);
    }

    private static async Task<JsonNode> GetAllAsync(string endpoint, params string[] extra)
    {
        ProcessResult get = (await StockEtcdctl.RunAsync(endpoint, ["get", "", "--prefix", "-w", "json", .. extra]))
            .EnsureSuccess("etcdctl get");
        return JsonNode.Parse(get.Stdout)!;
    }

    private static async Task<long> StatusRevisionAsync(string endpoint)
    {
        ProcessResult status = (await StockEtcdctl.RunAsync(endpoint, "endpoint", "status", "-w", "json")).EnsureSuccess("endpoint status");
        return (long)JsonNode.Parse(status.Stdout)![0]!["Status"]!["header"]!["revision"]!;
    }

    private static async Task<JsonNode> TimeToLiveAsync(string endpoint, long leaseId)
    {
        ProcessResult ttl = (await StockEtcdctl.RunAsync(endpoint, "lease", "timetolive", leaseId.ToString("x16"), "--keys", "-w", "json"))
            .EnsureSuccess("lease timetolive");
        return JsonNode.Parse(ttl.Stdout)!;
    }

    private static string[] Keys(JsonNode timeToLive) => [.. timeToLive["keys"]!.AsArray().Select(key => (string)key!).Order()];

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

    /// <summary>The "Error: ..." line (etcdctl also logs JSON lines with timestamps to stderr).</summary>
    private static string ErrorLine(ProcessResult result) =>
        result.Stderr.Split('\n').FirstOrDefault(line => line.StartsWith("Error:", StringComparison.Ordinal)) ?? "";
}
