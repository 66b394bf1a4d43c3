using Cairn.Faults;
using Cairn.Linearizability;
using Cairn.Testing;

namespace Cairn.Faults.Tests;

public sealed class HistoryRecorderTests
{
    [Fact]
    public async Task Recorded_history_of_a_healthy_single_etcd_is_complete_and_linearizable()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        List<Operation> history = await HistoryRecorder.RecordAsync([etcd.Endpoint], new RecorderOptions { Clients = 4, Keys = 2 }, stop.Token);

        Assert.True(history.Count >= 100, $"only {history.Count} operations in 3 s");
        Assert.All(history, op => Assert.True(op.Outcome == Outcome.Ok, op.ToString()));
        Assert.Contains(history, op => op.Kind == OperationKind.Get && op.Found);
        Assert.Contains(history, op => op.Kind == OperationKind.CompareAndSet && op.Succeeded);
        Assert.Contains(history, op => op.Kind == OperationKind.Delete && op.DeletedCount == 1);
        CheckResult result = LinearizabilityChecker.Check(history);
        Assert.True(result.Verdict == Verdict.Linearizable, result.ToString());
    }

    [Fact]
    public async Task Requests_to_a_dead_endpoint_are_recorded_as_failed_not_ok()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        List<Operation> history = await HistoryRecorder.RecordAsync(
            [$"127.0.0.1:{FreePort.Next()}"], new RecorderOptions { Clients = 1, RequestTimeout = TimeSpan.FromMilliseconds(500) }, stop.Token);

        Assert.NotEmpty(history);
        Assert.All(history, op => Assert.NotEqual(Outcome.Ok, op.Outcome));
        Assert.All(history, op => Assert.NotNull(op.Error));
    }

    [Fact]
    public async Task Recorder_rejects_an_empty_endpoint_list() =>
        await Assert.ThrowsAsync<ArgumentException>(() => HistoryRecorder.RecordAsync([], new RecorderOptions(), CancellationToken.None));
}
