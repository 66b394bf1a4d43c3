using System.Buffers.Binary;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Snapshots;

/// <summary>Buffered little-endian writer that checksums (CRC-32C) and counts everything it writes.</summary>
internal sealed class SnapshotWriteStream
{
    private readonly Stream _output;
    private readonly byte[] _buffer;
    private int _used;
    private StateCrc32C _crc = new();

    public SnapshotWriteStream(Stream output, int bufferBytes)
    {
        _output = output;
        _buffer = new byte[bufferBytes];
    }

    /// <summary>Bytes written so far.</summary>
    public long Position { get; private set; }

    /// <summary>CRC-32C of everything written so far.</summary>
    public uint Crc
    {
        get
        {
            FlushBuffer();
            return _crc.Value;
        }
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_used == _buffer.Length)
            {
                FlushBuffer();
            }

            int chunk = Math.Min(bytes.Length, _buffer.Length - _used);
            bytes[..chunk].CopyTo(_buffer.AsSpan(_used));
            _used += chunk;
            Position += chunk;
            bytes = bytes[chunk..];
        }
    }

    public void WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteInt32(int value) => WriteUInt32((uint)value);

    public void WriteInt64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Write(bytes);
    }

    /// <summary>Writes the buffered bytes to the output (checksumming them).</summary>
    public void FlushBuffer()
    {
        if (_used == 0)
        {
            return;
        }

        _crc.Append(_buffer.AsSpan(0, _used));
        _output.Write(_buffer, 0, _used);
        _used = 0;
    }
}
