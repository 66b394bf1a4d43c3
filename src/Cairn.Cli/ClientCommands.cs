using System.CommandLine;

namespace Cairn.Cli;

/// <summary>The etcdctl-compatible client verbs (put, get, del, txn, watch, lease, ...).</summary>
public static class ClientCommands
{
    /// <summary>Creates every client verb.</summary>
    public static IEnumerable<Command> Create()
    {
        const string Issue = "issue 4: client verbs";
        yield return NotYetBuilt.Create("put", "Put a key", Issue);
        yield return NotYetBuilt.Create("get", "Get a key or a range of keys", Issue);
        yield return NotYetBuilt.Create("del", "Delete a key or a range of keys", Issue);
        yield return NotYetBuilt.Create("txn", "Run a transaction read from stdin", Issue);
        yield return NotYetBuilt.Create("watch", "Watch a key or a range of keys", Issue);
        yield return NotYetBuilt.Create("lease", "Grant, revoke, inspect and keep alive leases", Issue);
        yield return NotYetBuilt.Create("compaction", "Compact the key history up to a revision", Issue);
        yield return NotYetBuilt.Create("endpoint", "Check endpoint health, status and hashes", Issue);
        yield return NotYetBuilt.Create("member", "List and change cluster members", Issue);
        yield return NotYetBuilt.Create("move-leader", "Transfer raft leadership to another member", "issue 7: cluster");
        yield return NotYetBuilt.Create("alarm", "List and disarm alarms", Issue);
        yield return NotYetBuilt.Create("defrag", "Defragment the storage of endpoints", Issue);
        yield return NotYetBuilt.Create("snapshot", "Save, restore and inspect snapshots", Issue);
        yield return NotYetBuilt.Create("lock", "Acquire a named distributed lock", Issue);
        yield return NotYetBuilt.Create("elect", "Take part in a leader election", Issue);
        yield return NotYetBuilt.Create("auth", "Enable or disable authentication", "the security issue");
        yield return NotYetBuilt.Create("user", "Manage users", "the security issue");
        yield return NotYetBuilt.Create("role", "Manage roles", "the security issue");
        yield return NotYetBuilt.Create("backup", "Run, list, verify and restore backups", "the backup issue");
    }
}
