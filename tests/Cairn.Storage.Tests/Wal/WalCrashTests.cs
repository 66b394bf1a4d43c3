using System.Globalization;
using Cairn.StorageCrashTest;
using Xunit.Abstractions;

namespace Cairn.Storage.Tests.Wal;

/// <summary>
/// Crash tests on the real file system with real fsync: a child process writes under load and prints what
/// was acknowledged; it is killed with SIGKILL at random moments (some during its own recovery), the WAL is
/// reopened, and every acknowledged record must be present and intact. The cycle counts here keep the
/// normal test run to about two minutes; set CAIRN_CRASH_CYCLES (e.g. 10000) for a long run, or use
/// `dotnet run --project tools/Cairn.StorageCrashTest -- run append 10000`.
/// </summary>
public class WalCrashTests(ITestOutputHelper output)
{
    [Fact]
    public void Concurrent_appends_survive_sigkill_at_random_moments()
    {
        CrashTestSummary summary = Run(CrashTestMode.Append, defaultCycles: 200);
        Assert.True(summary.AcknowledgedChecked > summary.Cycles * 10, $"too few acknowledged records were checked: {summary}");
    }

    [Fact]
    public void Raft_follower_workload_survives_sigkill_at_random_moments()
    {
        CrashTestSummary summary = Run(CrashTestMode.Raft, defaultCycles: 100);
        Assert.True(summary.AcknowledgedChecked > summary.Cycles, $"too few acknowledged records were checked: {summary}");
    }

    private CrashTestSummary Run(CrashTestMode mode, int defaultCycles)
    {
        string? configured = Environment.GetEnvironmentVariable("CAIRN_CRASH_CYCLES");
        int cycles = configured == null ? defaultCycles : int.Parse(configured, CultureInfo.InvariantCulture);
        using var directory = new TemporaryDirectory();
        int seed = Environment.TickCount;
        output.WriteLine($"crash test {mode}: {cycles} cycles, seed {seed}, directory {directory.Path}");
        var runner = new CrashTestRunner(directory.Path, mode, writers: 8, seed, output.WriteLine);
        CrashTestSummary summary = runner.Run(cycles);
        Assert.Equal(cycles, summary.Cycles);
        output.WriteLine($"PASS: {summary}");
        return summary;
    }
}
