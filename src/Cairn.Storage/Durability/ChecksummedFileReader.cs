using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Durability;

/// <summary>
/// Opens and verifies a checksummed file (<see cref="ChecksummedFileFormat"/>). <see cref="Open"/> checks
/// the header, footer, length and block CRC table; payload blocks are checked as they are read
/// (<see cref="OpenPayloadStream"/>, <see cref="ReadPayload"/>) or all at once (<see cref="VerifyPayload"/>).
/// Any mismatch throws <see cref="StorageCorruptionException"/> naming the file and offset.
/// </summary>
public sealed class ChecksummedFileReader : IDisposable
{
    /// <summary>What the operator can do when a checksummed file is corrupt, unless the caller says better.</summary>
    public const string DefaultCorruptionAdvice =
        "The file is damaged (disk or file-system fault, or it was modified). Restore it from a backup " +
        "(`cairn snapshot restore`), or on a cluster member remove the member's data directory and let it rejoin the cluster";

    private readonly SafeFileHandle _handle;
    private readonly uint[] _blockCrcs;
    private readonly string _corruptionAdvice;

    private ChecksummedFileReader(SafeFileHandle handle, string path, ulong contentKind, int blockBytes, long payloadBytes, uint[] blockCrcs, string advice)
    {
        _handle = handle;
        FilePath = path;
        ContentKind = contentKind;
        BlockBytes = blockBytes;
        PayloadBytes = payloadBytes;
        _blockCrcs = blockCrcs;
        _corruptionAdvice = advice;
    }

    /// <summary>The file's path.</summary>
    public string FilePath { get; }

    /// <summary>The content kind tag from the header.</summary>
    public ulong ContentKind { get; }

    /// <summary>The payload block size.</summary>
    public int BlockBytes { get; }

    /// <summary>The payload length.</summary>
    public long PayloadBytes { get; }

    /// <summary>The underlying handle (read-only).</summary>
    public SafeFileHandle Handle => _handle;

    /// <summary>Opens <paramref name="path"/> and verifies everything except the payload blocks.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expectedContentKind">The content kind the caller expects (see <see cref="ChecksummedFileWriter.ContentKindOf"/>).</param>
    /// <param name="corruptionAdvice">What the operator should do if the file is corrupt (null: <see cref="DefaultCorruptionAdvice"/>).</param>
    /// <returns>The reader.</returns>
    public static ChecksummedFileReader Open(string path, ulong expectedContentKind, string? corruptionAdvice = null)
    {
        string advice = corruptionAdvice ?? DefaultCorruptionAdvice;
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            long fileBytes = RandomAccess.GetLength(handle);
            if (fileBytes < ChecksummedFileFormat.PayloadOffset + ChecksummedFileFormat.FooterBytes)
            {
                throw new StorageCorruptionException(path, 0, $"the file is {fileBytes} bytes long, shorter than an empty checksummed file", advice);
            }

            int blockBytes = ReadHeader(handle, path, expectedContentKind, advice);
            (long payloadBytes, uint blockCount, uint tableCrc) = ReadFooter(handle, path, fileBytes, advice);
            long expectedBytes = ChecksummedFileFormat.FileBytes(payloadBytes, blockBytes);
            if (expectedBytes != fileBytes || ChecksummedFileFormat.BlockCount(payloadBytes, blockBytes) != blockCount)
            {
                throw new StorageCorruptionException(path, fileBytes - ChecksummedFileFormat.FooterBytes, $"the footer describes a {expectedBytes}-byte file with {blockCount} blocks but the file is {fileBytes} bytes (truncated or extended)", advice);
            }

            uint[] blockCrcs = ReadBlockCrcTable(handle, path, payloadBytes, blockCount, tableCrc, advice);
            // ReadHeader checked that the stored content kind is the expected one.
            return new ChecksummedFileReader(handle, path, expectedContentKind, blockBytes, payloadBytes, blockCrcs, advice);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads every payload block and checks its CRC.</summary>
    public void VerifyPayload()
    {
        byte[] block = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            for (long blockIndex = 0; blockIndex < _blockCrcs.Length; blockIndex++)
            {
                ReadVerifiedBlock(blockIndex, block);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>Reads payload bytes at <paramref name="payloadOffset"/>, verifying every block they touch.</summary>
    /// <param name="payloadOffset">Offset in the payload (not in the file).</param>
    /// <param name="destination">Receives the bytes; its length is the number of bytes to read.</param>
    public void ReadPayload(long payloadOffset, Span<byte> destination)
    {
        if (payloadOffset < 0 || payloadOffset > PayloadBytes - destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadOffset), $"[{payloadOffset}, {payloadOffset + destination.Length}) is outside the {PayloadBytes}-byte payload of {FilePath}");
        }

        byte[] block = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            while (!destination.IsEmpty)
            {
                long blockIndex = payloadOffset / BlockBytes;
                int blockLength = ReadVerifiedBlock(blockIndex, block);
                int offsetInBlock = (int)(payloadOffset - (blockIndex * BlockBytes));
                int chunkBytes = Math.Min(destination.Length, blockLength - offsetInBlock);
                block.AsSpan(offsetInBlock, chunkBytes).CopyTo(destination);
                destination = destination[chunkBytes..];
                payloadOffset += chunkBytes;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>A read-only, forward-only stream over the payload that verifies each block before returning its bytes.</summary>
    /// <returns>The stream; dispose it before the reader.</returns>
    public Stream OpenPayloadStream() => new VerifyingPayloadStream(this);

    /// <summary>Maps the file read-only; the payload starts at <see cref="ChecksummedFileFormat.PayloadOffset"/>. Verify before trusting it.</summary>
    /// <returns>The mapping.</returns>
    public MappedFile MapReadOnly() => MappedFile.Open(FilePath, writable: false);

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>Reads payload block <paramref name="blockIndex"/> into <paramref name="buffer"/> and checks its CRC.</summary>
    /// <returns>The block's length (the last block may be short).</returns>
    internal int ReadVerifiedBlock(long blockIndex, byte[] buffer)
    {
        long payloadOffset = blockIndex * BlockBytes;
        int blockLength = (int)Math.Min(BlockBytes, PayloadBytes - payloadOffset);
        long fileOffset = ChecksummedFileFormat.PayloadOffset + payloadOffset;
        Span<byte> span = buffer.AsSpan(0, blockLength);
        if (RandomAccess.Read(_handle, span, fileOffset) != blockLength)
        {
            throw new StorageCorruptionException(FilePath, fileOffset, "the file ended inside a payload block", _corruptionAdvice);
        }

        if (Crc32C.Compute(span) != _blockCrcs[blockIndex])
        {
            throw new StorageCorruptionException(FilePath, fileOffset, $"payload block {blockIndex} ({blockLength} bytes) fails its CRC-32C", _corruptionAdvice);
        }

        return blockLength;
    }

    private static int ReadHeader(SafeFileHandle handle, string path, ulong expectedContentKind, string advice)
    {
        byte[] header = ReadExactly(handle, 0, ChecksummedFileFormat.PayloadOffset);
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != ChecksummedFileFormat.HeaderMagic)
        {
            throw new StorageCorruptionException(path, 0, "the file does not start with the magic \"CAIRNCKF\" (not a Cairn checksummed file)", advice);
        }

        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(ChecksummedFileFormat.HeaderCrcOffset));
        if (Crc32C.Compute(header.AsSpan(0, ChecksummedFileFormat.HeaderCrcOffset)) != storedCrc)
        {
            throw new StorageCorruptionException(path, 0, "the header fails its CRC-32C", advice);
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
        if (version != ChecksummedFileFormat.FormatVersion)
        {
            throw new StorageCorruptionException(path, 8, $"format version {version} is not supported (this build reads version {ChecksummedFileFormat.FormatVersion})", "Use the Cairn version that wrote the file");
        }

        ulong contentKind = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(16));
        if (contentKind != expectedContentKind)
        {
            throw new StorageCorruptionException(path, 16, $"the file holds content kind 0x{contentKind:x16}, expected 0x{expectedContentKind:x16} (wrong file in this place)", advice);
        }

        int blockBytes = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(24));
        Invariant.Check(
            blockBytes is >= ChecksummedFileFormat.MinBlockBytes and <= ChecksummedFileFormat.MaxBlockBytes,
            $"{path}: a header with a valid CRC has block size {blockBytes}, outside the limits this code writes");
        return blockBytes;
    }

    private static (long PayloadBytes, uint BlockCount, uint TableCrc) ReadFooter(SafeFileHandle handle, string path, long fileBytes, string advice)
    {
        long footerOffset = fileBytes - ChecksummedFileFormat.FooterBytes;
        byte[] footer = ReadExactly(handle, footerOffset, ChecksummedFileFormat.FooterBytes);
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(footer.AsSpan(ChecksummedFileFormat.FooterCrcOffset));
        if (BinaryPrimitives.ReadUInt64LittleEndian(footer.AsSpan(16)) != ChecksummedFileFormat.FooterMagic
            || Crc32C.Compute(footer.AsSpan(0, ChecksummedFileFormat.FooterCrcOffset)) != storedCrc)
        {
            throw new StorageCorruptionException(path, footerOffset, "the footer is missing or fails its CRC-32C (the file is truncated or damaged; it was not completely written)", advice);
        }

        ulong payloadBytes = BinaryPrimitives.ReadUInt64LittleEndian(footer);
        if (payloadBytes > (ulong)fileBytes)
        {
            throw new StorageCorruptionException(path, footerOffset, $"the footer claims {payloadBytes} payload bytes in a {fileBytes}-byte file", advice);
        }

        return ((long)payloadBytes, BinaryPrimitives.ReadUInt32LittleEndian(footer.AsSpan(8)), BinaryPrimitives.ReadUInt32LittleEndian(footer.AsSpan(12)));
    }

    private static uint[] ReadBlockCrcTable(SafeFileHandle handle, string path, long payloadBytes, uint blockCount, uint tableCrc, string advice)
    {
        long tableOffset = ChecksummedFileFormat.PayloadOffset + payloadBytes;
        byte[] table = ReadExactly(handle, tableOffset, checked((int)(blockCount * sizeof(uint))));
        if (Crc32C.Compute(table) != tableCrc)
        {
            throw new StorageCorruptionException(path, tableOffset, "the table of block checksums fails its CRC-32C", advice);
        }

        uint[] blockCrcs = new uint[blockCount];
        for (int i = 0; i < blockCrcs.Length; i++)
        {
            blockCrcs[i] = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(i * sizeof(uint)));
        }

        return blockCrcs;
    }

    private static byte[] ReadExactly(SafeFileHandle handle, long offset, int lengthBytes)
    {
        byte[] buffer = new byte[lengthBytes];
        int total = 0;
        while (total < lengthBytes)
        {
            int read = RandomAccess.Read(handle, buffer.AsSpan(total), offset + total);
            if (read == 0)
            {
                throw new EndOfStreamException($"unexpected end of file at offset {offset + total}");
            }

            total += read;
        }

        return buffer;
    }
}
