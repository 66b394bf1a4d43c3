using System.Globalization;
using Cairn.Bench.Stats;
using Cairn.Testing;

namespace Cairn.Bench.Tests.EndToEnd;

/// <summary>
/// Every workload through the native binary (<c>out/cairn bench ... -w json</c>) against one server: the JSON
/// parses, the counts add up (attempted = succeeded + failed, nothing failed, succeeded = what was asked), and
/// the server holds what the puts wrote. Subclasses pick the server (real etcd, cairn serve).
/// </summary>
public abstract class BenchEndToEnd
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    protected abstract string Endpoint { get; }

    private async Task<ReportJson> BenchJsonAsync(params string[] args)
    {
        ProcessResult result = await ProcessRunner.RunAsync(RepositoryPaths.CairnBinary,
            ["bench", .. args, "--endpoints", Endpoint, "-w", "json"], timeout: RunTimeout);
        result.EnsureSuccess("cairn bench " + string.Join(' ', args));
        ReportJson report = ReportJson.Deserialize(result.Stdout) ?? throw new InvalidOperationException("empty JSON: " + result.Stdout);
        Assert.Equal(report.Attempted, report.Succeeded + report.Failed);
        Assert.Equal(0, report.Failed);
        Assert.Empty(report.Errors);
        Assert.Equal(report.Succeeded, report.Latency.Count);
        Assert.Equal(report.Succeeded, report.Latency.Histogram.Sum(bar => bar.Count));
        Assert.True(report.RequestsPerSecond > 0, "requests/sec");
        Assert.True(report.Latency.FastestMs > 0 && report.Latency.FastestMs <= report.Latency.PercentilesMs["p50"]);
        Assert.True(report.Latency.PercentilesMs["p50"] <= report.Latency.PercentilesMs["p99"]);
        Assert.True(report.Latency.PercentilesMs["p99"] <= report.Latency.SlowestMs);
        // Its own CPU is measured in clock ticks (10 ms), so a short run may well show 0.
        Assert.True(report.ClientCpuMicrosPerRequest >= 0 && double.IsFinite(report.ClientCpuMicrosPerRequest), "client CPU");
        return report;
    }

    private async Task<long> CountKeysAsync()
    {
        // The reference client; with --limit 1 its JSON "count" is still the number of keys in the whole range.
        ProcessResult result = await Etcdctl.RunAsync(Endpoint, "get", "", "--from-key", "--limit", "1", "--keys-only", "-w", "json");
        result.EnsureSuccess("etcdctl get --from-key");
        int at = result.Stdout.IndexOf("\"count\":", StringComparison.Ordinal);
        if (at < 0)
        {
            // proto3 JSON leaves out a zero count: an empty store.
            Assert.DoesNotContain("\"kvs\"", result.Stdout, StringComparison.Ordinal);
            return 0;
        }

        string digits = new(result.Stdout[(at + 8)..].SkipWhile(c => c == ' ').TakeWhile(char.IsAsciiDigit).ToArray());
        return long.Parse(digits, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Put_with_sequential_keys_writes_every_key_once()
    {
        // 4-byte keys (varint of n, zero-padded): no other test writes keys of this size, so all 200 are new.
        long before = await CountKeysAsync();
        ReportJson report = await BenchJsonAsync("put", "--conns", "2", "--clients", "8", "--total", "200",
            "--sequential-keys", "--key-space-size", "200", "--key-size", "4", "--val-size", "64");
        Assert.Equal(200, report.Succeeded);
        Assert.Equal("8", report.Parameters["clients"]);
        Assert.Equal(before + 200, await CountKeysAsync());
    }

    [Fact]
    public async Task Range_serializable_and_linearizable_count_every_request()
    {
        await BenchJsonAsync("put", "--total", "1");
        foreach (string consistency in new[] { "s", "l" })
        {
            ReportJson report = await BenchJsonAsync("range", "bench-e2e", "--consistency", consistency, "--conns", "2", "--clients", "10", "--total", "300");
            Assert.Equal(300, report.Succeeded);
        }
    }

    [Fact]
    public async Task Txn_put_with_several_ops_counts_txns()
    {
        ReportJson report = await BenchJsonAsync("txn-put", "--txn-ops", "4", "--key-space-size", "50", "--clients", "4", "--total", "100");
        Assert.Equal(100, report.Succeeded);
    }

    [Fact]
    public async Task Watch_receives_every_event_of_every_watcher()
    {
        ReportJson report = await BenchJsonAsync("watch", "--conns", "2", "--streams", "3", "--watch-per-stream", "4",
            "--watched-key-total", "2", "--put-total", "40", "--event-timeout", "20s");
        // Every put reaches the watchers of its key: 12 watchers over 2 keys, 6 per key, 40 puts.
        Assert.Equal(40 * 6, report.Succeeded);
        Assert.Equal(40 * 6, report.Figures["Events received"]);
        Assert.Equal(40, report.ExtraLatencies["Put latency (the writer)"].Count);
    }

    [Fact]
    public async Task Lease_keepalive_counts_every_round_trip()
    {
        ReportJson report = await BenchJsonAsync("lease-keepalive", "--conns", "2", "--clients", "5", "--total", "200");
        Assert.Equal(200, report.Succeeded);
    }

    [Fact]
    public async Task Text_output_has_the_summary_histogram_and_percentiles()
    {
        ProcessResult result = await ProcessRunner.RunAsync(RepositoryPaths.CairnBinary,
            ["bench", "put", "--total", "50", "--endpoints", Endpoint], timeout: RunTimeout);
        result.EnsureSuccess("cairn bench put");
        Assert.Contains("Requests/sec", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("99.9%", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Response time histogram", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("DEBUG", result.Stderr, StringComparison.Ordinal);
    }
}

/// <summary>The workloads against real etcd 3.4.</summary>
public sealed class BenchAgainstEtcdTests(EtcdFixture etcd) : BenchEndToEnd, IClassFixture<EtcdFixture>
{
    protected override string Endpoint => etcd.Endpoint;
}

/// <summary>The workloads against <c>cairn serve</c>.</summary>
public sealed class BenchAgainstCairnTests(CairnFixture cairn) : BenchEndToEnd, IClassFixture<CairnFixture>
{
    protected override string Endpoint => cairn.Endpoint;
}
