namespace Cairn.Storage.Bolt;

/// <summary>
/// The bbolt on-disk facts the writer needs (all integers little-endian). Every page starts with a 16-byte header:
/// page id (u64), flags (u16), element count (u16), overflow (u32, the number of extra pages a large page spans).
/// </summary>
internal static class BoltFormat
{
    /// <summary>The page size Cairn writes (the size etcd uses on x86-64 and arm64).</summary>
    public const int PageSize = 4096;

    public const int PageHeaderBytes = 16;

    /// <summary>Leaf element: flags u32, pos u32, key size u32, value size u32; pos counts from the element itself.</summary>
    public const int LeafElementBytes = 16;

    /// <summary>Branch element: pos u32, key size u32, child page id u64.</summary>
    public const int BranchElementBytes = 16;

    public const ushort BranchPageFlag = 0x01;
    public const ushort LeafPageFlag = 0x02;
    public const ushort MetaPageFlag = 0x04;
    public const ushort FreelistPageFlag = 0x10;

    /// <summary>A leaf element whose value is a bucket header (root page id u64, sequence u64).</summary>
    public const uint BucketLeafFlag = 0x01;

    public const int BucketHeaderBytes = 16;

    public const uint Magic = 0xED0CDAED;
    public const uint Version = 2;

    /// <summary>Meta fields before the checksum: magic, version, page size, flags (u32 each), root bucket header,
    /// freelist page id, page high-water mark, transaction id (u64 each); the checksum covers exactly these bytes.</summary>
    public const int MetaChecksummedBytes = 4 * 4 + BucketHeaderBytes + 3 * 8;

    /// <summary>Pages 0 and 1 hold the two meta copies; the writer puts the (empty) freelist on page 2.</summary>
    public const ulong FreelistPageId = 2;

    public const ulong FirstDataPageId = 3;
}
