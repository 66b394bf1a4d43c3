using Cairn.Server.Hosting;

namespace Cairn.Server.Tests;

/// <summary>sd_notify over a real unix datagram socket, as systemd provides it.</summary>
public class SystemdNotifierTests
{
    [Fact]
    public async Task Sends_ready_status_stopping_and_watchdog_datagrams()
    {
        using var socket = NotifySocket.InFileSystem();
        using var notifier = new SystemdNotifier(socket.Address);

        notifier.Status("starting");
        notifier.Ready("serving clients on http://127.0.0.1:2379");
        notifier.Watchdog();
        notifier.Stopping("shutting down");

        Assert.True(notifier.IsEnabled);
        Assert.Equal("STATUS=starting", await socket.ReceiveAsync());
        Assert.Equal("READY=1\nSTATUS=serving clients on http://127.0.0.1:2379", await socket.ReceiveAsync());
        Assert.Equal("WATCHDOG=1", await socket.ReceiveAsync());
        Assert.Equal("STOPPING=1\nSTATUS=shutting down", await socket.ReceiveAsync());
    }

    [Fact]
    public async Task At_prefix_means_the_abstract_namespace()
    {
        using var socket = NotifySocket.Abstract();
        using var notifier = new SystemdNotifier(socket.Address);

        notifier.Ready("up");

        Assert.Equal("READY=1\nSTATUS=up", await socket.ReceiveAsync());
    }

    [Fact]
    public void Without_a_socket_every_call_is_a_no_op()
    {
        using var notifier = new SystemdNotifier(null);

        notifier.Ready("up");
        notifier.Stopping("down");

        Assert.False(notifier.IsEnabled);
    }

    [Fact]
    public void A_vanished_socket_does_not_throw()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cairn-missing-{Guid.NewGuid():N}.sock");
        using var notifier = new SystemdNotifier(path);

        notifier.Ready("up");

        Assert.True(notifier.IsEnabled);
    }

    [Theory]
    [InlineData("30000000", null, 30.0)]
    [InlineData("30000000", "4242", 30.0)]
    [InlineData("30000000", "1", null)]
    [InlineData("0", null, null)]
    [InlineData("abc", null, null)]
    [InlineData(null, null, null)]
    public void Watchdog_interval_comes_from_watchdog_usec_for_this_process(string? usec, string? pid, double? seconds)
    {
        TimeSpan? interval = SystemdNotifier.WatchdogIntervalFrom(usec, pid, processId: 4242);

        Assert.Equal(seconds, interval?.TotalSeconds);
    }

    [Fact]
    public async Task Watchdog_pings_at_half_the_interval_until_stopped()
    {
        using var socket = NotifySocket.InFileSystem();
        using var notifier = new SystemdNotifier(socket.Address, TimeSpan.FromMilliseconds(200));
        using var stop = new CancellationTokenSource();
        var started = DateTime.UtcNow;

        Task watchdog = notifier.RunWatchdogAsync(stop.Token);
        string first = await socket.ReceiveAsync();
        string second = await socket.ReceiveAsync();
        var elapsed = DateTime.UtcNow - started;
        stop.Cancel();
        await watchdog;

        Assert.Equal("WATCHDOG=1", first);
        Assert.Equal("WATCHDOG=1", second);
        Assert.InRange(elapsed.TotalMilliseconds, 150, 5000);
        Assert.True(watchdog.IsCompletedSuccessfully);
    }
}
