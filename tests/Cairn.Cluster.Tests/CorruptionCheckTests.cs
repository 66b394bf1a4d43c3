using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>
/// The corruption check with real divergence: a stopped member's snapshot file is edited (one value changed, the
/// file's CRC-32C recomputed, as a bug or bit rot under the checksum would leave it) and the member restarted on it.
/// Its initial check, and the leader's periodic one, find its HashKV different at the same revision and raise the
/// CORRUPT alarm; then, as in etcd 3.4, every member refuses writes with "etcdserver: corrupt cluster" and still
/// serves reads.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CorruptionCheckTests
{
    private const string Original = "original-value-0123456789";
    private const string Tampered = "tampered-value-0123456789";

    [Fact]
    public async Task A_member_restarted_on_an_edited_snapshot_raises_the_corrupt_alarm_and_writes_stop()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(3, WithChecks, new LoopbackNetwork(3));
        (await Etcdctl.RunAsync(cluster.Endpoints[0], "put", "corrupt/marker", Original)).EnsureSuccess("put marker");
        for (int i = 0; i < 30; i++)
        {
            (await Etcdctl.RunAsync(cluster.Endpoints[i % 3], "put", $"corrupt/filler/{i}", $"{i}")).EnsureSuccess("put filler");
        }

        const int victim = 2;
        string snapDirectory = Path.Combine(cluster.Members[victim].DataDirectory, "snap");
        await Poll.UntilAsync(() => Task.FromResult(SnapshotsHolding(snapDirectory).Count > 0), TestCluster.Deadline,
            "member 2 wrote a snapshot holding the marker");
        await Poll.UntilAsync(() => Task.FromResult(cluster.Output().Contains("all agree", StringComparison.Ordinal)), TestCluster.Deadline,
            "a periodic check found the healthy members in agreement");
        Assert.Equal("", (await Etcdctl.RunAsync(cluster.Endpoints[0], "alarm", "list")).EnsureSuccess("alarm list").Stdout);
        ulong victimId = await MemberIdAsync(cluster.Endpoints[victim]);

        await cluster.KillAsync(victim);
        foreach (string snapshot in SnapshotsHolding(snapDirectory))
        {
            ReplaceKeepingTheChecksumValid(snapshot);
        }

        // Not RestartAsync: its initial check may raise the alarm before /health is first polled, and /health then
        // stays false, as etcd's does under CORRUPT.
        cluster.Relaunch(victim);
        await Poll.UntilAsync(
            async () => (await Etcdctl.RunAsync(cluster.Endpoints[victim], "get", "corrupt/marker", "--print-value-only", "--consistency=s"))
                .Stdout.TrimEnd('\n') == Tampered,
            TimeSpan.FromSeconds(60), "the restarted member serves the edited value");

        string expectedAlarm = $"memberID:{victimId} alarm:CORRUPT";
        await Poll.UntilAsync(
            async () => (await Etcdctl.RunAsync(cluster.Endpoints[0], "alarm", "list")).Stdout.Contains(expectedAlarm, StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), $"the alarm list shows {expectedAlarm}");

        for (int i = 0; i < 3; i++)
        {
            ProcessResult put = await Etcdctl.RunAsync(cluster.Endpoints[i], "put", "corrupt/after", "x");
            Assert.NotEqual(0, put.ExitCode);
            Assert.Contains("etcdserver: corrupt cluster", put.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(Original, await ValueAsync(cluster.Endpoints[0], serializable: false));
        Assert.Contains(expectedAlarm, (await Etcdctl.RunAsync(cluster.Endpoints[1], "endpoint", "status")).Stdout, StringComparison.Ordinal);
    }

    /// <summary>Cairn with small snapshots, the initial check and a 1 s periodic check.</summary>
    private static MemberCommand WithChecks(ClusterMemberSpec spec)
    {
        MemberCommand command = MemberCommands.Cairn(spec);
        return command with
        {
            Arguments = [.. command.Arguments, "--snapshot-count", "20", "--experimental-initial-corrupt-check=true",
                "--experimental-corrupt-check-time", "1s"],
        };
    }

    private static List<string> SnapshotsHolding(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.snap").Where(path => IndexOf(File.ReadAllBytes(path), Original) >= 0).ToList()
            : [];

    /// <summary>Rewrites the marker's value in place and recomputes the CRC-32C the file ends with (before its
    /// 8-byte footer magic), so the member's own checks accept the file.</summary>
    private static void ReplaceKeepingTheChecksumValid(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int at = IndexOf(bytes, Original);
        Encoding.ASCII.GetBytes(Tampered).CopyTo(bytes, at);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 12), Crc32C(bytes.AsSpan(0, bytes.Length - 12)));
        File.WriteAllBytes(path, bytes);
    }

    private static int IndexOf(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle));

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1;
            }
        }

        return ~crc;
    }

    private static async Task<ulong> MemberIdAsync(string endpoint)
    {
        ProcessResult result = (await Etcdctl.RunAsync(endpoint, "endpoint", "status", "-w", "json")).EnsureSuccess("endpoint status");
        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        return document.RootElement[0].GetProperty("Status").GetProperty("header").GetProperty("member_id").GetUInt64();
    }

    private static async Task<string> ValueAsync(string endpoint, bool serializable) =>
        (await Etcdctl.RunAsync(endpoint, "get", "corrupt/marker", "--print-value-only", serializable ? "--consistency=s" : "--consistency=l"))
            .EnsureSuccess("get marker").Stdout.TrimEnd('\n');
}
