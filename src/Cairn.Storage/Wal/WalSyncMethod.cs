namespace Cairn.Storage.Wal;

/// <summary>How a batch written into the mapped segment is made durable.</summary>
public enum WalSyncMethod
{
    /// <summary>fdatasync on the segment file: writes every dirty page of the file and waits.</summary>
    Fdatasync = 0,

    /// <summary>msync(MS_SYNC) of the batch's page range only.</summary>
    MsyncRange = 1,
}
