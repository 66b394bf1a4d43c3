using System.Diagnostics;
using System.Text.RegularExpressions;
using Cairn.Cli.Session;
using Cairn.Cli.Tests.Support;
using Cairn.Testing;

namespace Cairn.Cli.Tests.EndToEnd;

/// <summary>
/// watch, lock, elect and lease keep-alive against real etcd 3.4: they run until interrupted (Ctrl-C), so each is
/// started in the background, checked while running, then interrupted; etcdctl gets a real SIGINT.
/// </summary>
public class LongRunningVerbTests : IAsyncLifetime
{
    private EtcdServer etcd = null!;

    public async Task InitializeAsync() => etcd = await EtcdServer.StartAsync();

    public async Task DisposeAsync() => await etcd.DisposeAsync();

    [Fact]
    public async Task Watch_replays_history_then_ends_on_interrupt_like_etcdctl()
    {
        foreach (string[] write in new[] { new[] { "put", "w/a", "1" }, ["put", "w/a", "2"], ["del", "w/a"], ["put", "w/b", "x\ty"] })
        {
            (await EtcdctlAsync(write)).EnsureSuccess("etcdctl");
        }
        string[] args = ["watch", "--prefix", "w/", "--prev-kv", "--rev", "2"];
        const string Expected = "PUT\nw/a\n1\nPUT\nw/a\n1\nw/a\n2\nDELETE\nw/a\n2\nw/a\n\nPUT\nw/b\nx\ty\n";
        var etcdctl = await EtcdctlUntilInterruptedAsync(args, output => output.EndsWith("x\ty\n", StringComparison.Ordinal));
        var cairn = await CairnUntilInterruptedAsync(args, output => output.EndsWith("x\ty\n", StringComparison.Ordinal));
        Assert.Equal((130, Expected), (etcdctl.ExitCode, etcdctl.Stdout));
        Assert.Equal((etcdctl.ExitCode, etcdctl.Stdout, etcdctl.Stderr), (cairn.ExitCode, cairn.Stdout, cairn.Stderr));
    }

    [Fact]
    public async Task Lock_prints_its_key_holds_it_and_releases_it_on_interrupt()
    {
        var cairn = await CairnUntilInterruptedAsync(["lock", "mylock"], output => output.Length > 0, async () =>
        {
            // While cairn holds the lock, its key (with the session lease) is in etcd.
            string held = (await EtcdctlAsync("get", "mylock", "--prefix", "--keys-only")).EnsureSuccess("etcdctl").Stdout;
            Assert.Matches("^mylock/[0-9a-f]+\n\n$", held);
        });
        Assert.Equal(0, cairn.ExitCode);
        Assert.Matches("^mylock/[0-9a-f]+\n\n$", cairn.Stdout);
        Assert.Equal("", (await EtcdctlAsync("get", "mylock", "--prefix")).EnsureSuccess("etcdctl").Stdout);
        var etcdctl = await EtcdctlUntilInterruptedAsync(["lock", "mylock"], output => output.Length > 0);
        Assert.Equal((0, Shape(etcdctl.Stdout)), (cairn.ExitCode, Shape(cairn.Stdout)));
    }

    [Fact]
    public async Task Elect_campaigns_observes_and_resigns_on_interrupt()
    {
        using var stopObserver = new CancellationTokenSource();
        var observer = CliRun.Start(new ClientSessionFactory(), ["--endpoints", etcd.Endpoint, "elect", "-l", "myelection"], stopObserver.Token);
        var first = await CairnUntilInterruptedAsync(["elect", "myelection", "first"], output => output.Length > 0,
            () => WaitForAsync(() => observer.Stdout.Text.Contains("first\n", StringComparison.Ordinal)));
        Assert.Equal(0, first.ExitCode);
        Assert.Matches("^myelection/[0-9a-f]+\nfirst\n$", first.Stdout);
        var etcdctl = await EtcdctlUntilInterruptedAsync(["elect", "myelection", "second"], output => output.Length > 0,
            () => WaitForAsync(() => observer.Stdout.Text.Contains("second\n", StringComparison.Ordinal)));
        Assert.Equal((0, Shape(etcdctl.Stdout)), (first.ExitCode, Shape(first.Stdout).Replace("first", "second", StringComparison.Ordinal)));
        stopObserver.Cancel();
        Assert.Equal(0, await observer.ExitCode);
        Assert.Matches("^myelection/[0-9a-f]+\nfirst\nmyelection/[0-9a-f]+\nsecond\n$", observer.Stdout.Text);
        Assert.Equal("", (await EtcdctlAsync("get", "myelection", "--prefix")).EnsureSuccess("etcdctl").Stdout);
    }

    [Fact]
    public async Task Keep_alive_renews_until_interrupted_and_reports_a_revoked_lease()
    {
        string lease = (await EtcdctlAsync("lease", "grant", "3")).EnsureSuccess("etcdctl").Stdout.Split(' ')[1];
        var cairn = await CairnUntilInterruptedAsync(["lease", "keep-alive", lease], output => Regex.Matches(output, "keepalived").Count >= 2);
        Assert.Equal(130, cairn.ExitCode);
        Assert.StartsWith($"lease {lease} keepalived with TTL(3)\nlease {lease} keepalived with TTL(3)\n", cairn.Stdout);
        using var never = new CancellationTokenSource();
        var running = CliRun.Start(new ClientSessionFactory(), ["--endpoints", etcd.Endpoint, "lease", "keep-alive", lease], never.Token);
        await WaitForAsync(() => running.Stdout.Text.Contains("keepalived", StringComparison.Ordinal));
        (await EtcdctlAsync("lease", "revoke", lease)).EnsureSuccess("etcdctl");
        Assert.Equal(0, await running.ExitCode.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.EndsWith($"lease {lease} expired or revoked.\n", running.Stdout.Text);
    }

    private sealed record Interrupted(int ExitCode, string Stdout, string Stderr);

    // Lease IDs differ from run to run; compare the output's shape.
    private static string Shape(string output) => Regex.Replace(output, "/[0-9a-f]+\n", "/<lease>\n");

    private Task<ProcessResult> EtcdctlAsync(params string[] args) => Etcdctl.RunAsync(etcd.Endpoint, args);

    private async Task<Interrupted> CairnUntilInterruptedAsync(string[] args, Func<string, bool> ready, Func<Task>? whileRunning = null)
    {
        using var interrupt = new CancellationTokenSource();
        var (exit, stdout, stderr) = CliRun.Start(new ClientSessionFactory(), ["--endpoints", etcd.Endpoint, .. args], interrupt.Token);
        await WaitForAsync(() => ready(stdout.Text) || exit.IsCompleted);
        if (whileRunning is not null)
        {
            await whileRunning();
        }
        interrupt.Cancel();
        int code = await exit.WaitAsync(TimeSpan.FromSeconds(20));
        return new Interrupted(code, stdout.Text, stderr.ToString());
    }

    private async Task<Interrupted> EtcdctlUntilInterruptedAsync(string[] args, Func<string, bool> ready, Func<Task>? whileRunning = null)
    {
        // A test run started in the background of a non-interactive shell inherits SIGINT as ignored, and Go keeps an
        // ignored SIGINT ignored: perl restores the default action before it becomes etcdctl.
        var start = new ProcessStartInfo("/usr/bin/perl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", "/usr/bin/etcdctl", "--endpoints", etcd.Endpoint }.Concat(args))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { lock (stdout) { stdout.Append(line.Data).Append('\n'); } } };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        await WaitForAsync(() => { lock (stdout) { return ready(stdout.ToString()); } });
        if (whileRunning is not null)
        {
            await whileRunning();
        }
        Signals.Send(process.Id, Signals.Interrupt);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        process.WaitForExit();
        string errors = string.Concat((await stderr).Split('\n').Where(l => !l.StartsWith("{\"level\"", StringComparison.Ordinal))).Trim();
        lock (stdout)
        {
            return new Interrupted(process.ExitCode, stdout.ToString(), errors);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("condition not met within 20 s");
            }
            await Task.Delay(20);
        }
    }
}
