namespace Cairn.Storage.Snapshots;

/// <summary>
/// Constants of the state snapshot file (format version 1). Layout, all integers little-endian
/// (docs/STORAGE.md (section 4, the state half), "Snapshot file"):
/// <code>
/// header   64 B   magic "CAIRNSNP", u32 version, u32 flags, u64 applied index, u64 applied term,
///                 i64 revision, i64 compact revision, 16 reserved zero bytes
/// meta     u32 length + protobuf cairn.internal.StateSnapshotMetadata
/// kv       per key: u32 key length, key bytes, u32 record count, then per record:
///                 i64 mod revision, i32 sub revision, i64 create revision, i64 version, i64 lease,
///                 u32 value length, value bytes
///          end marker: u32 0xFFFFFFFF
/// footer   40 B   u64 key count, u64 record count, u64 file length, u32 zero,
///                 u32 CRC-32C of every byte before this field, magic "CAIRNEND"
/// </code>
/// </summary>
public static class SnapshotFormat
{
    /// <summary>The format version this code writes and reads.</summary>
    public const uint Version = 1;

    /// <summary>Size of the fixed header.</summary>
    public const int HeaderBytes = 64;

    /// <summary>Size of the fixed footer.</summary>
    public const int FooterBytes = 40;

    /// <summary>Fixed part of one record (before its value bytes).</summary>
    public const int RecordFixedBytes = 40;

    /// <summary>The key-length value that ends the KV section.</summary>
    public const uint EndOfKeys = uint.MaxValue;

    /// <summary>Largest key or value length accepted when reading (a guard against corrupt lengths).</summary>
    public const int MaxItemBytes = 1 << 30;

    /// <summary>"CAIRNSNP": the first 8 bytes of a snapshot file.</summary>
    public static ReadOnlySpan<byte> HeaderMagic => "CAIRNSNP"u8;

    /// <summary>"CAIRNEND": the last 8 bytes of a snapshot file.</summary>
    public static ReadOnlySpan<byte> FooterMagic => "CAIRNEND"u8;

    /// <summary>Offset of the footer's CRC field from the end of the file.</summary>
    public const int CrcOffsetFromEnd = 12;
}
