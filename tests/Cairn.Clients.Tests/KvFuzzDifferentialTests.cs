using Cairn.Testing;

namespace Cairn.Clients.Tests;

/// <summary>
/// tests/clients/python/kv_fuzz.py: a few hundred generated KV, Txn, Compact and Lease requests per seed, sent one at a
/// time to a fresh etcd and a fresh cairn through python3-etcd3's raw gRPC stubs; every answer must be the same.
/// The seeds are fixed, so a failure names a seed that reproduces by hand (docs/TESTING.md).
/// </summary>
public class KvFuzzDifferentialTests
{
    /// <summary>Seeds 21 and 35 reach a DESCEND sort with ties on the target, 10 an unknown sort order: the two
    /// differences the fuzz found and Cairn fixed (docs/TESTING.md).</summary>
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 10, 21, 35 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Generated_requests_get_the_same_answers_from_cairn_and_etcd(int seed)
    {
        await using var cairn = await CairnServer.StartAsync();
        await using var etcd = await EtcdServer.StartAsync();

        ProcessResult result = await ProcessRunner.RunAsync(
            "/usr/bin/python3",
            [ClientScriptFiles.PathOf("python", "kv_fuzz.py"), "--etcd", etcd.Endpoint, "--cairn", cairn.Endpoint, "--seed", $"{seed}"],
            timeout: TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, $"kv_fuzz.py seed {seed} (exit {result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains($"seed {seed}: 300 requests answered the same", result.Stdout, StringComparison.Ordinal);
    }
}
