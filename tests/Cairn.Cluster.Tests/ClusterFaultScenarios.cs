using Cairn.Client;
using Cairn.Faults;
using Cairn.Linearizability;
using Cairn.Testing;
using Xunit.Abstractions;

namespace Cairn.Cluster.Tests;

/// <summary>
/// The fault scenarios, independent of what the members are: a concrete class says how to start member i
/// (real etcd today; Cairn once it forms clusters: derive a class returning <see cref="MemberCommands.Cairn"/>).
/// Every scenario records a concurrent history while injecting the fault and requires the checker to find
/// zero anomalies.
/// </summary>
public abstract partial class ClusterFaultScenarios(ITestOutputHelper output)
{
    private const int MemberCount = 3;

    /// <summary>Where scenario progress goes (shown for failing tests).</summary>
    protected ITestOutputHelper Output { get; } = output;

    /// <summary>How to start member i.</summary>
    protected abstract MemberCommand CommandFor(ClusterMemberSpec spec);

    [Fact]
    public async Task Killing_the_leader_under_load_and_restarting_it_loses_nothing()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(MemberCount, CommandFor, new LoopbackNetwork(MemberCount));
        await RunUnderLoadAsync(cluster, rotate: true, async () =>
        {
            int leader = await ClusterProbe.WaitForLeaderAsync(cluster.Endpoints, FaultCampaign.ElectionTimeout);
            await cluster.KillAsync(leader);
            Output.WriteLine($"SIGKILLed leader m{leader}");
            int successor = await ClusterProbe.WaitForLeaderAsync(cluster.Endpoints, FaultCampaign.ElectionTimeout, Others(leader));
            Output.WriteLine($"new leader m{successor}");
            Assert.NotEqual(leader, successor);
            await Task.Delay(FaultCampaign.Phase);
            await cluster.RestartAsync(leader);
            Output.WriteLine($"restarted m{leader}");
        });
    }

    [Fact]
    public async Task Pausing_the_leader_with_sigstop_and_resuming_it_loses_nothing()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(MemberCount, CommandFor, new LoopbackNetwork(MemberCount));
        await RunUnderLoadAsync(cluster, rotate: false, async () =>
        {
            int leader = await ClusterProbe.WaitForLeaderAsync(cluster.Endpoints, FaultCampaign.ElectionTimeout);
            using (ProcessFaults.PauseScoped(cluster.Process(leader)!.Pid))
            {
                Output.WriteLine($"SIGSTOPped leader m{leader}");
                int successor = await ClusterProbe.WaitForLeaderAsync(cluster.Endpoints, FaultCampaign.ElectionTimeout, Others(leader));
                Output.WriteLine($"new leader m{successor} while m{leader} is paused");
                await Task.Delay(FaultCampaign.Phase);
            }

            Output.WriteLine($"SIGCONTed m{leader}");
            await cluster.WaitHealthyAsync(leader, FaultCampaign.ElectionTimeout);
        });
    }

    private static int[] Others(int member) => Enumerable.Range(0, MemberCount).Where(i => i != member).ToArray();

    /// <summary>Load phase, the fault, load phase; then the history must be linearizable.</summary>
    private async Task<List<Operation>> RunUnderLoadAsync(LocalCluster cluster, bool rotate, Func<Task> fault, RecorderOptions? options = null)
    {
        using var stop = new CancellationTokenSource();
        options ??= new RecorderOptions { Clients = 6, Keys = 4, RotateEndpoints = rotate, RequestTimeout = TimeSpan.FromSeconds(2) };
        Task<List<Operation>> recording = HistoryRecorder.RecordAsync(cluster.Endpoints, options, stop.Token);
        try
        {
            await Task.Delay(FaultCampaign.Phase);
            await fault();
            await Task.Delay(FaultCampaign.Phase);
        }
        finally
        {
            stop.Cancel();
        }

        List<Operation> history = await recording;
        AssertLinearizable(history, cluster);
        return history;
    }

    private void AssertLinearizable(List<Operation> history, LocalCluster cluster)
    {
        CheckResult result = LinearizabilityChecker.Check(history);
        int ok = history.Count(op => op.Outcome == Outcome.Ok);
        int unknown = history.Count(op => op.Outcome == Outcome.Unknown);
        Output.WriteLine($"{history.Count} operations ({ok} ok, {unknown} unknown): {result}");
        Assert.True(result.Verdict == Verdict.Linearizable, $"{result}\n{cluster.Output()}");
        Assert.True(ok >= 50, $"only {ok} operations succeeded: the cluster barely served\n{cluster.Output()}");
    }
}
