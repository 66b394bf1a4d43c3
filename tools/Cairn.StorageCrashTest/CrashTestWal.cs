using Cairn.Storage.Wal;

namespace Cairn.StorageCrashTest;

/// <summary>The WAL settings of the crash test: small segments, so that kills also land in rollovers and releases.</summary>
public static class CrashTestWal
{
    /// <summary>Options shared by the child and the verifier.</summary>
    public static WalOptions Options(Action<string>? log = null) => new()
    {
        SegmentBytes = 1024 * 1024,
        MaxBatchBytes = 256 * 1024,
        Log = log,
    };
}
