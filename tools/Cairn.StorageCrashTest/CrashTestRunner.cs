using System.Diagnostics;

namespace Cairn.StorageCrashTest;

/// <summary>
/// The parent side of the crash test: starts the child, kills it with SIGKILL at a random moment (a fifth
/// of the time before it finished recovery), opens the WAL, and checks it against what the child
/// acknowledged. Repeats for the requested number of cycles; throws on the first violation.
/// </summary>
public sealed class CrashTestRunner
{
    private readonly string _directory;
    private readonly CrashTestMode _mode;
    private readonly int _writers;
    private readonly Random _random;
    private readonly Action<string> _log;

    /// <summary>Creates a runner.</summary>
    /// <param name="directory">The WAL directory (created; should be empty at the start).</param>
    /// <param name="mode">The child's workload.</param>
    /// <param name="writers">Concurrent writers in append mode.</param>
    /// <param name="seed">Seed of the kill schedule and of the children's workloads.</param>
    /// <param name="log">Progress lines.</param>
    public CrashTestRunner(string directory, CrashTestMode mode, int writers, int seed, Action<string> log)
    {
        _directory = directory;
        _mode = mode;
        _writers = writers;
        _random = new Random(seed);
        _log = log;
    }

    /// <summary>Runs <paramref name="cycles"/> kill-and-verify cycles.</summary>
    /// <returns>Totals over all cycles.</returns>
    public CrashTestSummary Run(int cycles)
    {
        Directory.CreateDirectory(_directory);
        ICrashVerifier verifier = _mode == CrashTestMode.Append ? new AppendVerifier() : new RaftVerifier();
        var summary = new CrashTestSummary();
        var stopwatch = Stopwatch.StartNew();
        for (int cycle = 1; cycle <= cycles; cycle++)
        {
            bool killedBeforeReady = RunChildAndKill(verifier, cycle);
            summary.Cycles++;
            summary.KilledBeforeReady += killedBeforeReady ? 1 : 0;
            summary.Add(verifier.Verify(_directory, cycle));
            if (cycle % 50 == 0 || cycle == cycles)
            {
                _log($"crash test ({_mode}): {cycle}/{cycles} cycles, {stopwatch.Elapsed.TotalSeconds:F0} s, {summary}");
            }
        }

        return summary;
    }

    private bool RunChildAndKill(ICrashVerifier verifier, int cycle)
    {
        using Process child = StartChild(_random.Next());
        var ready = new TaskCompletionSource();
        Task reader = Task.Run(() => ReadLines(child, verifier, ready));
        bool killBeforeReady = _random.Next(5) == 0;
        bool wasReady;
        if (killBeforeReady)
        {
            wasReady = ready.Task.Wait(_random.Next(30, 250));
        }
        else
        {
            wasReady = ready.Task.Wait(TimeSpan.FromSeconds(60));
            if (!wasReady)
            {
                child.Kill();
                throw new CrashTestFailure($"cycle {cycle}: the child did not become ready within 60 s");
            }

            Thread.Sleep(_random.Next(1, 300));
        }

        child.Kill();
        child.WaitForExit();
        reader.Wait();
        return !wasReady;
    }

    private static void ReadLines(Process child, ICrashVerifier verifier, TaskCompletionSource ready)
    {
        while (child.StandardOutput.ReadLine() is string line)
        {
            if (line.StartsWith("READY", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
            else
            {
                verifier.Acknowledged(line);
            }
        }
    }

    private Process StartChild(int seed)
    {
        string assembly = typeof(CrashTestRunner).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(_mode == CrashTestMode.Append ? "child-append" : "child-raft");
        start.ArgumentList.Add(_directory);
        start.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(_writers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["DOTNET_TieredPGO"] = "0";
        return Process.Start(start) ?? throw new CrashTestFailure("could not start the crash test child");
    }
}
