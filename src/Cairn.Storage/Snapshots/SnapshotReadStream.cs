using System.Buffers.Binary;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Snapshots;

/// <summary>Buffered little-endian reader that checksums everything it reads and knows its file position, so values
/// can be referenced by offset instead of copied. Every short read is corruption.</summary>
internal sealed class SnapshotReadStream
{
    private readonly Stream _input;
    private readonly string _path;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private StateCrc32C _crc = new();

    public SnapshotReadStream(Stream input, string path, int bufferBytes)
    {
        _input = input;
        _path = path;
        _buffer = new byte[bufferBytes];
    }

    /// <summary>Bytes consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>CRC-32C of everything consumed so far.</summary>
    public uint Crc => _crc.Value;

    public void ReadExactly(Span<byte> into)
    {
        while (!into.IsEmpty)
        {
            if (_start == _end && !Fill())
            {
                throw Corrupt($"the file ends early at offset {Position}");
            }

            int chunk = Math.Min(into.Length, _end - _start);
            Consume(_buffer.AsSpan(_start, chunk), into[..chunk]);
            into = into[chunk..];
        }
    }

    /// <summary>Consumes (and checksums) bytes without keeping them.</summary>
    public void Skip(long count)
    {
        while (count > 0)
        {
            if (_start == _end && !Fill())
            {
                throw Corrupt($"the file ends early at offset {Position}");
            }

            int chunk = (int)Math.Min(count, _end - _start);
            Consume(_buffer.AsSpan(_start, chunk), Span<byte>.Empty);
            count -= chunk;
        }
    }

    public uint ReadUInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public int ReadInt32() => (int)ReadUInt32();

    public long ReadInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        ReadExactly(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    /// <summary>A length field, rejected if larger than <see cref="SnapshotFormat.MaxItemBytes"/>.</summary>
    public int ReadLength(string what)
    {
        uint length = ReadUInt32();
        if (length > SnapshotFormat.MaxItemBytes)
        {
            throw Corrupt($"{what} length {length} at offset {Position - 4} is impossible");
        }

        return (int)length;
    }

    /// <summary>A corruption error naming the file and what the operator can do.</summary>
    public InvalidDataException Corrupt(string what) => SnapshotCorruptException.For(_path, what);

    private void Consume(ReadOnlySpan<byte> source, Span<byte> into)
    {
        _crc.Append(source);
        if (!into.IsEmpty)
        {
            source.CopyTo(into);
        }

        _start += source.Length;
        Position += source.Length;
    }

    private bool Fill()
    {
        _start = 0;
        _end = _input.Read(_buffer, 0, _buffer.Length);
        return _end > 0;
    }
}

/// <summary>Builds the error for a damaged snapshot file.</summary>
public static class SnapshotCorruptException
{
    /// <summary>An <see cref="InvalidDataException"/> that says which file is bad, why, and what to do.</summary>
    public static InvalidDataException For(string path, string what) => new(
        $"state snapshot '{path}' is damaged: {what}. It cannot be loaded; use an older snapshot (remove or move this " +
        "file) and let the WAL replay from there, or restore from a backup, or rejoin the cluster to receive a fresh snapshot.");
}
