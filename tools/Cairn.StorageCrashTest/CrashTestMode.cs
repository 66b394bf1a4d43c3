namespace Cairn.StorageCrashTest;

/// <summary>The workload the child runs.</summary>
public enum CrashTestMode
{
    /// <summary>Concurrent asynchronous appends plus hard states, snapshot markers and releases.</summary>
    Append,

    /// <summary>A single Raft-follower loop: appends, suffix overwrites, snapshots, snapshot installs.</summary>
    Raft,
}
