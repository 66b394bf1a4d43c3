using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cairn.Protocol.Tests.Server;

/// <summary>Keeps the server's log lines so tests can assert what was (not) logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    public IEnumerable<string> AtLeast(LogLevel level) =>
        Entries.Where(entry => entry.Level >= level).Select(entry => $"{entry.Level} {entry.Category}: {entry.Message} {entry.Exception?.GetType().Name}");

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
    }
}
