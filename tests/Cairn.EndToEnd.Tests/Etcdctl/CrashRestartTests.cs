using System.Diagnostics;
using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Testing;
using Google.Protobuf;
using Xunit.Abstractions;

namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>
/// Durability of the AOT server under SIGKILL: a client writes while the server is killed mid-stream; after each
/// restart every acknowledged put is there with its value and revision, and the revision never goes backwards.
/// Cycles: 10, or <c>CAIRN_CRASH_CYCLES</c>.
/// </summary>
public class CrashRestartTests(ITestOutputHelper output)
{
    private const string Prefix = "crash/";

    [Fact]
    public async Task Every_acknowledged_put_survives_kill_9_and_the_revision_never_goes_back()
    {
        int cycles = int.TryParse(Environment.GetEnvironmentVariable("CAIRN_CRASH_CYCLES"), out int configured) ? configured : 10;
        using var data = new TempDirectory("cairn-crash");
        var acknowledged = new Dictionary<string, (string Value, long Revision)>();
        long highestRevisionSeen = 0;
        var random = new Random(20261122);

        for (int cycle = 0; cycle < cycles; cycle++)
        {
            await using CairnServer server = await CairnServer.StartAsync(data.Path);
            using EtcdClient client = Connect(server);
            highestRevisionSeen = await VerifyAsync(client, acknowledged, highestRevisionSeen, $"after crash {cycle}");

            using var stopWriting = new CancellationTokenSource();
            Task writer = WriteUntilStoppedAsync(client, cycle, acknowledged, stopWriting.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(150, 600)));
            Assert.True(server.Signal(Signals.Kill), "SIGKILL to cairn serve");
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(20)), "cairn serve did not die after SIGKILL");
            stopWriting.Cancel();
            await writer;
        }

        await using CairnServer last = await CairnServer.StartAsync(data.Path);
        using EtcdClient lastClient = Connect(last);
        highestRevisionSeen = await VerifyAsync(lastClient, acknowledged, highestRevisionSeen, "after the last crash");
        output.WriteLine($"{cycles} kill -9 cycles, {acknowledged.Count} acknowledged puts, final revision {highestRevisionSeen}");
        Assert.True(acknowledged.Count >= cycles, $"only {acknowledged.Count} puts were acknowledged in {cycles} cycles");
    }

    [Fact]
    public async Task A_clean_restart_keeps_data_revision_and_the_remaining_lease_ttl()
    {
        using var data = new TempDirectory("cairn-restart");
        long leaseId;
        long revisionBefore;
        await using (CairnServer first = await CairnServer.StartAsync(data.Path))
        {
            using EtcdClient client = Connect(first);
            leaseId = (await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 300 })).ID;
            await client.KV.PutAsync(new PutRequest { Key = Bytes("leased"), Value = Bytes("v"), Lease = leaseId });
            revisionBefore = (await client.KV.PutAsync(new PutRequest { Key = Bytes("plain"), Value = Bytes("kept") })).Header.Revision;
        }

        var stopwatch = Stopwatch.StartNew();
        await using CairnServer second = await CairnServer.StartAsync(data.Path);
        using EtcdClient restarted = Connect(second);
        RangeResponse all = await restarted.KV.RangeAsync(new RangeRequest { Key = Bytes("\0"), RangeEnd = Bytes("\0") });
        LeaseTimeToLiveResponse ttl = await restarted.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = leaseId, Keys = true });

        Assert.Equal(revisionBefore, all.Header.Revision);
        Assert.Equal(["leased", "plain"], all.Kvs.Select(kv => kv.Key.ToStringUtf8()));
        Assert.Equal("kept", all.Kvs[1].Value.ToStringUtf8());
        Assert.Equal(300, ttl.GrantedTTL);
        Assert.InRange(ttl.TTL, 300 - 30 - (long)stopwatch.Elapsed.TotalSeconds, 300);
        Assert.Equal("leased", Assert.Single(ttl.Keys).ToStringUtf8());
    }

    [Theory]
    [InlineData("garbage-wal")]
    [InlineData("garbage-member")]
    public async Task A_corrupted_data_dir_fails_with_a_clear_message_and_exit_code_1(string damage)
    {
        using var data = new TempDirectory("cairn-corrupt");
        await using (CairnServer first = await CairnServer.StartAsync(data.Path))
        {
            using EtcdClient client = Connect(first);
            await client.KV.PutAsync(new PutRequest { Key = Bytes("k"), Value = Bytes("v") });
        }

        Corrupt(data.Path, damage);
        var started = await ProcessRunner.RunAsync(RepositoryPaths.CairnBinary,
            ["serve", "--data-dir", data.Path, "--listen-client-urls", $"http://127.0.0.1:{FreePort.Next()}"],
            timeout: TimeSpan.FromSeconds(60));

        string output = started.Stdout + started.Stderr;
        Assert.True(started.ExitCode == 1, $"exit code {started.ExitCode}, expected 1\n{output}");
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.Contains(data.Path, output, StringComparison.Ordinal);
    }

    private static void Corrupt(string dataDirectory, string damage)
    {
        IEnumerable<string> files = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories);
        string[] targets = damage == "garbage-wal"
            ? files.Where(path => path.Contains($"{Path.DirectorySeparatorChar}wal{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToArray()
            : files.Where(path => !path.Contains($"{Path.DirectorySeparatorChar}wal{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(targets);
        var random = new Random(7);
        foreach (string target in targets)
        {
            byte[] garbage = new byte[Math.Max(4096, (int)Math.Min(new FileInfo(target).Length, 1 << 20))];
            random.NextBytes(garbage);
            File.WriteAllBytes(target, garbage);
        }
    }

    private static async Task WriteUntilStoppedAsync(EtcdClient client, int cycle,
        Dictionary<string, (string Value, long Revision)> acknowledged, CancellationToken stop)
    {
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            string key = $"{Prefix}{cycle:D3}/{i:D6}";
            string value = $"value-{cycle}-{i}";
            try
            {
                PutResponse put = await client.KV.PutAsync(new PutRequest { Key = Bytes(key), Value = Bytes(value) }, stop);
                acknowledged[key] = (value, put.Header.Revision);
            }
            catch (Exception)
            {
                // The server died with this put in flight: it may or may not be there; only acknowledged puts count.
                return;
            }
        }
    }

    private static async Task<long> VerifyAsync(EtcdClient client, Dictionary<string, (string Value, long Revision)> acknowledged,
        long highestRevisionSeen, string when)
    {
        RangeResponse stored = await client.KV.RangeAsync(new RangeRequest { Key = Bytes(Prefix), RangeEnd = Bytes("crash0") });
        Assert.True(stored.Header.Revision >= highestRevisionSeen,
            $"{when}: revision went back from {highestRevisionSeen} to {stored.Header.Revision}");
        var found = stored.Kvs.ToDictionary(kv => kv.Key.ToStringUtf8(), kv => kv);
        foreach (var (key, (value, revision)) in acknowledged)
        {
            Assert.True(found.TryGetValue(key, out KeyValue? kv), $"{when}: acknowledged put {key} (revision {revision}) is missing");
            Assert.Equal(value, kv.Value.ToStringUtf8());
            Assert.Equal(revision, kv.ModRevision);
        }

        return stored.Header.Revision;
    }

    private static EtcdClient Connect(CairnServer server) => new(new EtcdClientOptions
    {
        Endpoints = { server.Endpoint },
        DefaultCallTimeout = TimeSpan.FromSeconds(20),
    });

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}
