using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting.Logging;

/// <summary>One log event, as formatters see it.</summary>
/// <param name="Timestamp">When it happened (UTC).</param>
/// <param name="Level">Its severity.</param>
/// <param name="Category">The logger's category, e.g. <c>Cairn.Server.Hosting</c>.</param>
/// <param name="Message">The rendered message.</param>
/// <param name="Fields">Structured fields from the message template (without <c>{OriginalFormat}</c>).</param>
/// <param name="Exception">The exception logged with the event, if any.</param>
public readonly record struct LogRecord(
    DateTimeOffset Timestamp,
    LogLevel Level,
    string Category,
    string Message,
    IReadOnlyList<KeyValuePair<string, object?>> Fields,
    Exception? Exception)
{
    /// <summary>The short level names the formats use: debug, info, warn, error (trace and critical map to the nearest).</summary>
    public string LevelName => Level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        _ => "error",
    };
}
