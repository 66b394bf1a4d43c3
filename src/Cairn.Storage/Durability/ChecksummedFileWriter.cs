using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Cairn.Storage.Durability;

/// <summary>
/// Writes a checksummed file (<see cref="ChecksummedFileFormat"/>) atomically: the content goes to
/// <c>path.tmp</c>; <see cref="Commit"/> appends the block CRC table and footer, fsyncs, renames over
/// <c>path</c> and fsyncs the directory. Disposing without committing deletes the temporary file, so a
/// half-written snapshot never becomes visible. Not thread-safe.
/// </summary>
public sealed class ChecksummedFileWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly int _blockBytes;
    private readonly List<uint> _blockCrcs = [];
    private uint _currentBlockCrc;
    private int _currentBlockFilledBytes;
    private bool _committed;
    private bool _disposed;

    private ChecksummedFileWriter(string path, FileStream stream, int blockBytes)
    {
        FilePath = path;
        TemporaryPath = path + DurableFile.TemporarySuffix;
        _stream = stream;
        _blockBytes = blockBytes;
    }

    /// <summary>The path the file gets on <see cref="Commit"/>.</summary>
    public string FilePath { get; }

    /// <summary>The path the content is written to until <see cref="Commit"/>.</summary>
    public string TemporaryPath { get; }

    /// <summary>Payload bytes written so far; the next <see cref="Write"/> lands at this payload offset.</summary>
    public long PayloadBytes { get; private set; }

    /// <summary>Starts a new checksummed file that will replace <paramref name="path"/> on <see cref="Commit"/>.</summary>
    /// <param name="path">The final path.</param>
    /// <param name="contentKind">A tag for what the payload is (8 ASCII bytes as a little-endian u64, e.g. "SNAPSHOT"); readers check it.</param>
    /// <param name="blockBytes">Payload bytes per CRC block.</param>
    /// <returns>The writer.</returns>
    public static ChecksummedFileWriter Create(string path, ulong contentKind, int blockBytes = ChecksummedFileFormat.DefaultBlockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, ChecksummedFileFormat.MinBlockBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockBytes, ChecksummedFileFormat.MaxBlockBytes);
        string temporaryPath = path + DurableFile.TemporarySuffix;
        var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
        Span<byte> header = stackalloc byte[ChecksummedFileFormat.PayloadOffset];
        ChecksummedFileFormat.WriteHeader(header, contentKind, blockBytes);
        stream.Write(header);
        return new ChecksummedFileWriter(path, stream, blockBytes);
    }

    /// <summary>Turns 8 ASCII characters into a content kind tag.</summary>
    /// <param name="eightAsciiCharacters">For example "SNAPSHOT".</param>
    /// <returns>The tag.</returns>
    public static ulong ContentKindOf(string eightAsciiCharacters)
    {
        ArgumentNullException.ThrowIfNull(eightAsciiCharacters);
        if (eightAsciiCharacters.Length != 8 || !System.Text.Ascii.IsValid(eightAsciiCharacters))
        {
            throw new ArgumentException("a content kind is exactly 8 ASCII characters", nameof(eightAsciiCharacters));
        }

        Span<byte> bytes = stackalloc byte[8];
        System.Text.Encoding.ASCII.GetBytes(eightAsciiCharacters, bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    /// <summary>Appends payload bytes.</summary>
    /// <param name="data">The bytes.</param>
    public void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Invariant.Check(!_committed, "a checksummed file was written after it was committed");
        _stream.Write(data);
        PayloadBytes += data.Length;
        while (!data.IsEmpty)
        {
            int chunkBytes = Math.Min(data.Length, _blockBytes - _currentBlockFilledBytes);
            _currentBlockCrc = Crc32C.Append(_currentBlockCrc, data[..chunkBytes]);
            _currentBlockFilledBytes += chunkBytes;
            data = data[chunkBytes..];
            if (_currentBlockFilledBytes == _blockBytes)
            {
                CloseBlock();
            }
        }
    }

    /// <summary>
    /// Finishes the file: CRC table and footer, fsync, rename over <see cref="FilePath"/>, directory fsync.
    /// When this returns, the complete file is durable under its final name.
    /// </summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Invariant.Check(!_committed, "a checksummed file was committed twice");
        if (_currentBlockFilledBytes > 0)
        {
            CloseBlock();
        }

        ReadOnlySpan<byte> table = MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_blockCrcs));
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("checksummed files are written on little-endian machines only");
        }

        _stream.Write(table);
        Span<byte> footer = stackalloc byte[ChecksummedFileFormat.FooterBytes];
        ChecksummedFileFormat.WriteFooter(footer, PayloadBytes, (uint)_blockCrcs.Count, Crc32C.Compute(table));
        _stream.Write(footer);
        _stream.Flush(flushToDisk: false);
        Invariant.Check(
            _stream.Length == ChecksummedFileFormat.FileBytes(PayloadBytes, _blockBytes),
            "a checksummed file's length does not match its payload and block count");
        DurableFile.SyncAll(_stream.SafeFileHandle, TemporaryPath);
        _stream.Dispose();
        DurableFile.CommitReplacement(TemporaryPath, FilePath);
        _committed = true;
    }

    /// <summary>Closes the file; if it was not committed, deletes the temporary file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Dispose();
        if (!_committed)
        {
            File.Delete(TemporaryPath);
        }
    }

    private void CloseBlock()
    {
        _blockCrcs.Add(_currentBlockCrc);
        _currentBlockCrc = 0;
        _currentBlockFilledBytes = 0;
    }
}
