using System.Diagnostics;
using System.Reflection;
using Cairn.Configuration;
using Cairn.Server.Hosting.Logging;
using Cairn.Server.Node;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting;

/// <summary>
/// The life of a server process: log setup, data directory, host start, sd_notify READY, wait for the stop
/// request, STOPPING, graceful stop. Separate from <see cref="ServeCommand"/> so tests can drive it in-process.
/// </summary>
public static class ServeRunner
{
    /// <summary>How long requests in flight may take to finish once shutdown starts.</summary>
    public static readonly TimeSpan GracefulShutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs until <paramref name="stop"/> is cancelled; returns the exit code (0 clean stop, 1 failed to start).</summary>
    /// <param name="loaded">A successfully loaded configuration (with its warnings and file).</param>
    /// <param name="notifier">sd_notify channel (disabled outside systemd).</param>
    /// <param name="stop">Cancelled to shut down (SIGTERM/SIGINT in the real process).</param>
    /// <param name="stopReason">Names the cause of the stop for the log, e.g. "SIGTERM".</param>
    /// <param name="error">Where start-up failures are reported for the operator (stderr).</param>
    /// <param name="logOutput">Overrides the log stream (tests); null means stdout or stderr per <c>log.output</c>.</param>
    public static async Task<int> RunAsync(ConfigLoadResult loaded, SystemdNotifier notifier, CancellationToken stop, Func<string> stopReason,
        TextWriter error, Stream? logOutput = null)
    {
        CairnConfig config = loaded.GetConfigOrThrow();
        var startup = Stopwatch.StartNew();
        using CairnLoggerProvider logs = CreateLoggerProvider(config.Log, logOutput);
        ILogger log = logs.CreateLogger("Cairn.Server");
        ServeLog.Starting(log, ProductVersion(), config.Name, loaded.ConfigFile ?? "(built-in defaults)", Path.GetFullPath(config.DataDir));
        foreach (ConfigDiagnostic warning in loaded.Warnings)
        {
            ServeLog.ConfigWarning(log, warning.ToString());
        }
        notifier.Status("starting");
        CairnHost host;
        try
        {
            CreateDataDirectory(config.DataDir);
            host = await CairnHost.StartAsync(config, logs, stop, notifier.Status).ConfigureAwait(false);
        }
        catch (HostStartException exception)
        {
            ServeLog.StartFailed(log, exception.Message);
            error.WriteLine($"cairn serve: {exception.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        await using (host.ConfigureAwait(false))
        {
            return await ServeUntilStoppedAsync(host, config, notifier, log, stop, stopReason, startup).ConfigureAwait(false);
        }
    }

    /// <summary>Serves until the stop request (exit code 0) or until the member stops on a fatal error (exit code 1).</summary>
    private static async Task<int> ServeUntilStoppedAsync(CairnHost host, CairnConfig config, SystemdNotifier notifier, ILogger log,
        CancellationToken stop, Func<string> stopReason, Stopwatch startup)
    {
        string clientUrls = string.Join(",", host.ClientAddresses);
        LogListenersNotBuilt(config, log, host.PeerListener is not null);
        Task<Exception?> memberStopped = host.Node.Stopped;
        Task watchdog = notifier.RunWatchdogAsync(stop);
        // READY=1 only once the member serves: recovery replayed and a leader elected.
        Task serving = await Task.WhenAny(host.Node.Serving, memberStopped, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
        if (serving == host.Node.Serving && host.Node.Serving.IsCompletedSuccessfully)
        {
            ServeLog.Serving(log, clientUrls, startup.ElapsedMilliseconds);
            notifier.Ready($"serving clients on {clientUrls}");
            // Start-up garbage would stay resident until the first ordinary collection, which an idle server never
            // reaches (docs/BENCHMARKS.md, Session 4): collect it once, as the member starts serving.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            await Task.WhenAny(memberStopped, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
        }

        Exception? fatal = memberStopped.IsCompleted ? await memberStopped.ConfigureAwait(false) : null;
        var shutdown = Stopwatch.StartNew();
        ServeLog.ShuttingDown(log, fatal switch
        {
            null => stopReason(),
            MemberRemovedException removed => removed.Message,
            _ => "a fatal error of the member",
        });
        if (fatal is MemberRemovedException)
        {
            ServeLog.RemovedDataDirectory(log, Path.GetFullPath(config.DataDir));
        }

        notifier.Stopping("shutting down");
        await host.StopAsync(GracefulShutdownTimeout).ConfigureAwait(false);
        await watchdog.ConfigureAwait(false);
        ServeLog.Stopped(log, shutdown.ElapsedMilliseconds);
        return fatal is null or MemberRemovedException ? 0 : 1;
    }

    private static void LogListenersNotBuilt(CairnConfig config, ILogger log, bool servingPeers)
    {
        if (!servingPeers)
        {
            ServeLog.ListenerNotBuilt(log, "peer.listen_urls", string.Join(",", config.Peer.ListenUrls.Select(ConfigUrls.Format)),
                "this member is alone in its cluster (no other members in initial_cluster); it listens once `member add` adds one");
        }

        if (config.Metrics.ListenUrls.Count > 0)
        {
            ServeLog.ListenerNotBuilt(log, "metrics.listen_urls", string.Join(",", config.Metrics.ListenUrls.Select(ConfigUrls.Format)),
                "separate metrics listeners are not built yet; /health is served on the client URLs");
        }
    }

    /// <summary>The log provider the configuration asks for (JSON or text, stdout or stderr, minimum level).</summary>
    public static CairnLoggerProvider CreateLoggerProvider(LogConfig logConfig, Stream? output = null)
    {
        ILogFormatter formatter = logConfig.Format == LogFormat.Json ? new JsonLogFormatter() : new TextLogFormatter();
        Stream stream = output ?? (logConfig.Output == LogOutput.Stdout ? Console.OpenStandardOutput() : Console.OpenStandardError());
        LogLevel minimum = logConfig.Level switch
        {
            LogSeverity.Debug => LogLevel.Debug,
            LogSeverity.Info => LogLevel.Information,
            LogSeverity.Warn => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        return new CairnLoggerProvider(formatter, new LogSink(stream, ownsOutput: output is null), minimum);
    }

    /// <summary>Creates the data directory readable only by its owner, as etcd does; reports failure with a hint.</summary>
    private static void CreateDataDirectory(string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HostStartException($"cannot create the data directory {path}: {exception.Message}; fix its permissions or set data_dir (--data-dir)", exception);
        }
    }

    private static string ProductVersion() =>
        typeof(ServeRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
