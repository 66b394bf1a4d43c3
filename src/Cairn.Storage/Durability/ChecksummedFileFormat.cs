using System.Buffers.Binary;

namespace Cairn.Storage.Durability;

/// <summary>
/// Layout of a checksummed file (snapshots, metadata). Every byte of the file is covered by a CRC-32C, so
/// any flipped byte and any truncation is detected. The payload is stored contiguously, so it can be read
/// in place through a memory mapping at <see cref="PayloadOffset"/>.
/// <code>
/// [0, 4096)           header: magic "CAIRNCKF", version, header size, content kind, block size, CRC of [0, 4092) at 4092
/// [4096, 4096 + P)    payload, P bytes, checksummed in blocks of B bytes (the last block may be short)
/// next 4 x N bytes    the CRC-32C of each payload block, N = ceil(P / B)
/// last 32 bytes       footer: P (u64), N (u32), CRC of the block CRC table (u32), magic "CKFOOTER", reserved, CRC of [0, 28)
/// </code>
/// All integers are little-endian. docs/STORAGE.md documents every byte.
/// </summary>
public static class ChecksummedFileFormat
{
    /// <summary>"CAIRNCKF" as a little-endian u64: identifies a Cairn checksummed file.</summary>
    public const ulong HeaderMagic = 0x464B434E52494143;

    /// <summary>"CKFOOTER" as a little-endian u64: identifies the footer.</summary>
    public const ulong FooterMagic = 0x5245544F4F464B43;

    /// <summary>The format version this code writes and reads.</summary>
    public const uint FormatVersion = 1;

    /// <summary>Size of the header; the payload starts here (page-aligned, so it can be mapped and advised by page).</summary>
    public const int PayloadOffset = 4096;

    /// <summary>Size of the footer at the end of the file.</summary>
    public const int FooterBytes = 32;

    /// <summary>The default payload block size: large enough that the CRC table is 1/16384 of the payload.</summary>
    public const int DefaultBlockBytes = 64 * 1024;

    /// <summary>The smallest allowed block size.</summary>
    public const int MinBlockBytes = 512;

    /// <summary>The largest allowed block size.</summary>
    public const int MaxBlockBytes = 16 * 1024 * 1024;

    internal const int HeaderCrcOffset = PayloadOffset - sizeof(uint);
    internal const int FooterCrcOffset = FooterBytes - sizeof(uint);

    /// <summary>The number of payload blocks for a payload of <paramref name="payloadBytes"/>.</summary>
    /// <param name="payloadBytes">Payload length.</param>
    /// <param name="blockBytes">Block size.</param>
    /// <returns>ceil(payloadBytes / blockBytes).</returns>
    public static long BlockCount(long payloadBytes, int blockBytes) => (payloadBytes + blockBytes - 1) / blockBytes;

    /// <summary>The total file length for a payload of <paramref name="payloadBytes"/>.</summary>
    /// <param name="payloadBytes">Payload length.</param>
    /// <param name="blockBytes">Block size.</param>
    /// <returns>Header + payload + CRC table + footer.</returns>
    public static long FileBytes(long payloadBytes, int blockBytes) =>
        PayloadOffset + payloadBytes + (sizeof(uint) * BlockCount(payloadBytes, blockBytes)) + FooterBytes;

    internal static void WriteHeader(Span<byte> header, ulong contentKind, int blockBytes)
    {
        header[..PayloadOffset].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(header, HeaderMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], PayloadOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], contentKind);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)blockBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header[HeaderCrcOffset..], Crc32C.Compute(header[..HeaderCrcOffset]));
    }

    internal static void WriteFooter(Span<byte> footer, long payloadBytes, uint blockCount, uint tableCrc)
    {
        footer[..FooterBytes].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(footer, (ulong)payloadBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[8..], blockCount);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[12..], tableCrc);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[16..], FooterMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[FooterCrcOffset..], Crc32C.Compute(footer[..FooterCrcOffset]));
    }
}
