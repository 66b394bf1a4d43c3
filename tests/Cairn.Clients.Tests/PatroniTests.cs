using Cairn.Testing;

namespace Cairn.Clients.Tests;

/// <summary>Patroni elects a PostgreSQL leader through cairn's JSON gateway (its etcd3 DCS) and hands it back on a clean stop.</summary>
public class PatroniTests
{
    [Fact]
    public async Task Patroni_becomes_leader_through_cairn_and_releases_the_lock_on_stop()
    {
        Assert.True(File.Exists("/usr/bin/patroni") && Directory.Exists(PatroniProcess.PostgresBinDirectory),
            "Patroni and PostgreSQL 15 are missing: ./build.sh test installs the patroni and postgresql packages");
        await using var cairn = await CairnServer.StartAsync();
        const string scope = "cairn-patroni";
        await using var patroni = PatroniProcess.Start(scope, "pg1", cairn.Endpoint);

        await patroni.WaitUntilLeaderAsync(TimeSpan.FromSeconds(60));
        ProcessResult leader = (await Etcdctl.RunAsync(cairn.Endpoint, "get", $"/service/{scope}/leader", "--print-value-only"))
            .EnsureSuccess("etcdctl get of the leader key");
        Assert.Equal("pg1", leader.Stdout.Trim());
        ProcessResult members = (await Etcdctl.RunAsync(cairn.Endpoint, "get", "--prefix", $"/service/{scope}/members/", "--keys-only"))
            .EnsureSuccess("etcdctl get of the members");
        Assert.Contains($"/service/{scope}/members/pg1", members.Stdout, StringComparison.Ordinal);

        Assert.True(patroni.Signal(Signals.Terminate));
        Assert.True(await patroni.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"Patroni did not stop on SIGTERM:\n{patroni.Output}");
        ProcessResult afterStop = (await Etcdctl.RunAsync(cairn.Endpoint, "get", $"/service/{scope}/leader", "--print-value-only"))
            .EnsureSuccess("etcdctl get of the leader key after the stop");
        Assert.Equal("", afterStop.Stdout.Trim());
        Assert.False(File.Exists(Path.Combine(patroni.DataDirectory, "postmaster.pid")), "PostgreSQL is still running after Patroni stopped");
    }
}
