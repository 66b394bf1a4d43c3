using System.Buffers;

namespace Cairn.Server.Hosting.Logging;

/// <summary>Turns a <see cref="LogRecord"/> into one UTF-8 line ending with '\n'.</summary>
public interface ILogFormatter
{
    /// <summary>Appends the encoded line for <paramref name="record"/> to <paramref name="destination"/>.</summary>
    void Format(in LogRecord record, IBufferWriter<byte> destination);
}
