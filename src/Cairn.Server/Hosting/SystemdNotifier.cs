using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Cairn.Server.Hosting;

/// <summary>
/// The sd_notify protocol spoken directly: datagrams such as <c>READY=1</c> to the unix socket named by
/// <c>$NOTIFY_SOCKET</c> (a leading '@' means the abstract namespace). Without the variable every call does
/// nothing, so the server behaves the same outside systemd. Send failures are swallowed: systemd being away
/// must never stop the server.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? socket;
    private readonly UnixDomainSocketEndPoint? endpoint;

    /// <summary>Notifies the socket at <paramref name="socketPath"/>; null or empty disables notification.</summary>
    /// <param name="socketPath">A filesystem path, or '@name' for an abstract socket.</param>
    /// <param name="watchdogInterval">How often systemd expects WATCHDOG=1, or null when the watchdog is off.</param>
    public SystemdNotifier(string? socketPath, TimeSpan? watchdogInterval = null)
    {
        WatchdogInterval = watchdogInterval;
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }
        // Linux abstract socket names start with a NUL byte; systemd writes it as '@'.
        endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>From <c>$NOTIFY_SOCKET</c>, <c>$WATCHDOG_USEC</c> and <c>$WATCHDOG_PID</c> of this process.</summary>
    public static SystemdNotifier FromEnvironment() => new(
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET"),
        WatchdogIntervalFrom(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId));

    /// <summary>True when a notify socket is configured.</summary>
    public bool IsEnabled => socket is not null;

    /// <summary>The watchdog timeout systemd set (WATCHDOG_USEC), or null.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>
    /// The watchdog timeout from WATCHDOG_USEC, or null when it is absent, invalid, or meant for another process
    /// (WATCHDOG_PID set to a different pid).
    /// </summary>
    public static TimeSpan? WatchdogIntervalFrom(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) || microseconds <= 0)
        {
            return null;
        }
        if (!string.IsNullOrEmpty(watchdogPid) && watchdogPid != processId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }
        return TimeSpan.FromMicroseconds(microseconds);
    }

    /// <summary>Tells systemd the service is up, with a status line.</summary>
    public void Ready(string status) => Send($"READY=1\nSTATUS={OneLine(status)}");

    /// <summary>Tells systemd the service is shutting down.</summary>
    public void Stopping(string status) => Send($"STOPPING=1\nSTATUS={OneLine(status)}");

    /// <summary>Updates the status line <c>systemctl status</c> shows.</summary>
    public void Status(string status) => Send($"STATUS={OneLine(status)}");

    /// <summary>Tells the watchdog the service is alive.</summary>
    public void Watchdog() => Send("WATCHDOG=1");

    /// <summary>Sends WATCHDOG=1 at half the watchdog interval (as sd_watchdog_enabled advises) until cancelled.</summary>
    public async Task RunWatchdogAsync(CancellationToken stop)
    {
        if (WatchdogInterval is not TimeSpan interval || !IsEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                Watchdog();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutdown: the watchdog stops with the service.
        }
    }

    /// <summary>Sends one raw notification message (e.g. "READY=1").</summary>
    public void Send(string message)
    {
        if (socket is null)
        {
            return;
        }
        try
        {
            socket.SendTo(Encoding.UTF8.GetBytes(message), endpoint!);
        }
        catch (SocketException)
        {
            // systemd may have gone away (or never listened); notification is advisory.
        }
    }

    /// <inheritdoc />
    public void Dispose() => socket?.Dispose();

    private static string OneLine(string text) => text.Replace('\n', ' ');
}
