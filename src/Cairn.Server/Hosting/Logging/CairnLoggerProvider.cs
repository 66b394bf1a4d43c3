using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting.Logging;

/// <summary>
/// The one logger provider of the server: every <see cref="ILogger"/> (Cairn's and ASP.NET Core's) writes through
/// it, as JSON lines or text, to one <see cref="LogSink"/>. Levels below <see cref="MinimumLevel"/> are dropped.
/// </summary>
public sealed class CairnLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, CairnLogger> loggers = new(StringComparer.Ordinal);
    private readonly TimeProvider clock;

    /// <summary>Creates a provider that formats with <paramref name="formatter"/> into <paramref name="sink"/>.</summary>
    public CairnLoggerProvider(ILogFormatter formatter, LogSink sink, LogLevel minimumLevel, TimeProvider? clock = null)
    {
        Formatter = formatter;
        Sink = sink;
        MinimumLevel = minimumLevel;
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>The least severe level written.</summary>
    public LogLevel MinimumLevel { get; }

    internal ILogFormatter Formatter { get; }

    internal LogSink Sink { get; }

    internal DateTimeOffset Now => clock.GetUtcNow();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => loggers.GetOrAdd(categoryName, name => new CairnLogger(name, this));

    /// <inheritdoc />
    public void Dispose() => Sink.Dispose();
}

/// <summary>An <see cref="ILogger"/> of one category; formats each event and hands the line to the sink.</summary>
internal sealed class CairnLogger(string category, CairnLoggerProvider provider) : ILogger
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? cachedBuffer;

    private static readonly IReadOnlyList<KeyValuePair<string, object?>> NoFields = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        var record = new LogRecord(provider.Now, logLevel, category, formatter(state, exception), FieldsOf(state), exception);
        ArrayBufferWriter<byte> buffer = cachedBuffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        provider.Formatter.Format(record, buffer);
        provider.Sink.WriteLine(buffer.WrittenSpan);
    }

    private static IReadOnlyList<KeyValuePair<string, object?>> FieldsOf<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> pairs || pairs.Count == 0)
        {
            return NoFields;
        }
        var fields = new List<KeyValuePair<string, object?>>(pairs.Count);
        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            if (pair.Key != "{OriginalFormat}")
            {
                fields.Add(pair);
            }
        }
        return fields;
    }
}
