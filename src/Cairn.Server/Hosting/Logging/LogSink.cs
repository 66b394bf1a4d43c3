namespace Cairn.Server.Hosting.Logging;

/// <summary>
/// Where log lines go: one stream, one complete line per write (so concurrent lines never interleave and
/// journald sees whole records). Lines are written synchronously; logging is not on the request hot path.
/// </summary>
public sealed class LogSink : IDisposable
{
    private readonly Stream output;
    private readonly bool ownsOutput;
    private readonly Lock writeLock = new();

    /// <summary>Writes to <paramref name="output"/>; disposes it with the sink when <paramref name="ownsOutput"/>.</summary>
    public LogSink(Stream output, bool ownsOutput)
    {
        this.output = output;
        this.ownsOutput = ownsOutput;
    }

    /// <summary>Writes one encoded line (which must end with a newline).</summary>
    public void WriteLine(ReadOnlySpan<byte> line)
    {
        lock (writeLock)
        {
            output.Write(line);
            output.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsOutput)
        {
            output.Dispose();
        }
    }
}
