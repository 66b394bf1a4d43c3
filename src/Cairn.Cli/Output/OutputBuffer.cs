using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Cairn.Cli.Output;

/// <summary>
/// Byte-oriented standard output. etcdctl prints keys and values as raw bytes (a value need not be UTF-8), so
/// everything a verb prints goes through here instead of a <see cref="TextWriter"/>: text is UTF-8 encoded, byte
/// strings are copied as they are. Output is buffered and written to the stream in chunks of at most
/// <see cref="FlushThresholdBytes"/>.
/// </summary>
public sealed class OutputBuffer
{
    /// <summary>Buffered bytes above which the buffer is written to the stream even before <see cref="Flush"/>.</summary>
    public const int FlushThresholdBytes = 64 * 1024;

    private readonly Stream destination;
    private readonly ArrayBufferWriter<byte> pending = new(4096);

    /// <summary>Creates a buffer that writes to <paramref name="destination"/>.</summary>
    public OutputBuffer(Stream destination)
    {
        this.destination = destination;
    }

    /// <summary>Appends <paramref name="text"/> encoded as UTF-8.</summary>
    public OutputBuffer Append(string text)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        int written = Encoding.UTF8.GetBytes(text, pending.GetSpan(maxBytes));
        pending.Advance(written);
        return FlushIfLarge();
    }

    /// <summary>Appends one ASCII character.</summary>
    public OutputBuffer Append(char ascii)
    {
        Invariant.Check(ascii < 0x80, "OutputBuffer.Append(char) takes ASCII only");
        pending.GetSpan(1)[0] = (byte)ascii;
        pending.Advance(1);
        return this;
    }

    /// <summary>Appends raw bytes (a key or value exactly as stored).</summary>
    public OutputBuffer AppendBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(pending.GetSpan(bytes.Length));
        pending.Advance(bytes.Length);
        return FlushIfLarge();
    }

    /// <summary>Appends a signed decimal number (Go's %d).</summary>
    public OutputBuffer Append(long value)
    {
        Utf8Formatter.TryFormat(value, pending.GetSpan(20), out int written);
        pending.Advance(written);
        return this;
    }

    /// <summary>Appends an unsigned decimal number (Go's %d of a uint64).</summary>
    public OutputBuffer Append(ulong value)
    {
        Utf8Formatter.TryFormat(value, pending.GetSpan(20), out int written);
        pending.Advance(written);
        return this;
    }

    /// <summary>Appends "true" or "false" (Go's %v of a bool).</summary>
    public OutputBuffer Append(bool value) => Append(value ? "true" : "false");

    /// <summary>Appends a line feed.</summary>
    public OutputBuffer NewLine() => Append('\n');

    /// <summary>Appends <paramref name="text"/> and a line feed (Go's fmt.Println of one string).</summary>
    public OutputBuffer Line(string text) => Append(text).NewLine();

    /// <summary>Writes everything buffered to the stream and flushes it.</summary>
    public void Flush()
    {
        if (pending.WrittenCount > 0)
        {
            destination.Write(pending.WrittenSpan);
            pending.Clear();
        }
        destination.Flush();
    }

    private OutputBuffer FlushIfLarge()
    {
        if (pending.WrittenCount > FlushThresholdBytes)
        {
            destination.Write(pending.WrittenSpan);
            pending.Clear();
        }
        return this;
    }
}
