using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting;

/// <summary>The log messages of <c>cairn serve</c>'s life cycle (source-generated: no boxing or parsing per call).</summary>
internal static partial class ServeLog
{
    [LoggerMessage(1, LogLevel.Information, "starting cairn {Version} as member {Member} (config: {ConfigFile}, data: {DataDir})", EventName = "starting")]
    public static partial void Starting(ILogger logger, string version, string member, string configFile, string dataDir);

    [LoggerMessage(2, LogLevel.Warning, "configuration: {Problem}", EventName = "config_warning")]
    public static partial void ConfigWarning(ILogger logger, string problem);

    [LoggerMessage(3, LogLevel.Information, "serving clients on {ClientUrls} ({StartupMs} ms after start)", EventName = "serving")]
    public static partial void Serving(ILogger logger, string clientUrls, long startupMs);

    [LoggerMessage(4, LogLevel.Information, "not serving {Listener} ({Urls}) yet: {Reason}", EventName = "listener_not_built")]
    public static partial void ListenerNotBuilt(ILogger logger, string listener, string urls, string reason);

    [LoggerMessage(5, LogLevel.Information, "shutting down on {Signal}", EventName = "shutting_down")]
    public static partial void ShuttingDown(ILogger logger, string signal);

    [LoggerMessage(6, LogLevel.Information, "stopped ({ShutdownMs} ms after the stop request)", EventName = "stopped ({ShutdownMs} ms after the stop request)")]
    public static partial void Stopped(ILogger logger, long shutdownMs);

    [LoggerMessage(7, LogLevel.Error, "cannot start: {Problem}", EventName = "start_failed")]
    public static partial void StartFailed(ILogger logger, string problem);

    [LoggerMessage(8, LogLevel.Warning, "the data directory {DataDir} used by this member must be removed: it cannot rejoin with it. To bring it back, delete the directory, add it again with `etcdctl member add` and start it with --initial-cluster-state existing", EventName = "removed_data_dir")]
    public static partial void RemovedDataDirectory(ILogger logger, string dataDir);
}
