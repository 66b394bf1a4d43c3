using Cairn.Storage.Wal;

namespace Cairn.StorageCrashTest;

/// <summary>The WAL settings of the crash test: small segments, so that kills also land in rollovers and releases.</summary>
public static class CrashTestWal
{
    /// <summary>Options shared by the child and the verifier.</summary>
    /// <param name="preallocation">How new segments reserve space (the two workloads use different modes, so both are crash-tested).</param>
    public static WalOptions Options(WalPreallocation preallocation = WalPreallocation.Fallocate) => new()
    {
        SegmentBytes = 1024 * 1024,
        MaxBatchBytes = 256 * 1024,
        Preallocation = preallocation,
    };
}
