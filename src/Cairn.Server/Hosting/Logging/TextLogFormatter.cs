using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cairn.Server.Hosting.Logging;

/// <summary>
/// Human-readable lines: <c>2025-01-02T03:04:05.678Z info  category: message</c>, then any exception. Structured
/// fields are not repeated: every field of a message template already appears in the rendered message.
/// </summary>
public sealed class TextLogFormatter : ILogFormatter
{
    [ThreadStatic]
    private static StringBuilder? cachedText;

    /// <inheritdoc />
    public void Format(in LogRecord record, IBufferWriter<byte> destination)
    {
        StringBuilder text = cachedText ??= new StringBuilder(256);
        text.Clear();
        text.Append(record.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))
            .Append(' ').Append(record.LevelName.PadRight(5))
            .Append(' ').Append(record.Category).Append(": ").Append(record.Message);
        if (record.Exception is not null)
        {
            text.Append('\n').Append(record.Exception);
        }
        text.Append('\n');
        foreach (ReadOnlyMemory<char> chunk in text.GetChunks())
        {
            Encoding.UTF8.GetBytes(chunk.Span, destination);
        }
    }
}
