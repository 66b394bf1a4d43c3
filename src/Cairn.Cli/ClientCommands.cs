using System.CommandLine;
using Cairn.Cli.Session;
using Cairn.Cli.Settings;
using Cairn.Cli.Verbs;

namespace Cairn.Cli;

/// <summary>The etcdctl-compatible client verbs (put, get, del, txn, watch, lease, ...).</summary>
public static class ClientCommands
{
    /// <summary>Creates every client verb on the process's own streams and environment.</summary>
    public static IEnumerable<Command> Create() =>
        Create(CliConsole.System(), DefaultSessions.Factory, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Creates every client verb with explicit streams, session factory and environment lookup (tests run the
    /// whole tree in-process this way).
    /// </summary>
    public static IEnumerable<Command> Create(CliConsole console, IEtcdSessionFactory sessions, Func<string, string?> environment)
    {
        var globals = new GlobalOptions();
        var runner = new VerbRunner(globals, console, sessions, environment);
        Command[] verbs =
        [
            KvVerbs.Put(runner),
            KvVerbs.Get(runner),
            KvVerbs.Del(runner),
            TxnVerb.Create(runner),
            WatchVerb.Create(runner),
            LeaseVerbs.Create(runner),
            CompactionVerb.Create(runner),
            EndpointVerbs.Create(runner),
            MemberVerbs.Create(runner),
            MaintenanceVerbs.MoveLeader(runner),
            MaintenanceVerbs.Alarm(runner),
            MaintenanceVerbs.Defrag(runner),
            SnapshotVerbs.Create(runner),
            LockElectVerbs.Lock(runner),
            LockElectVerbs.Elect(runner),
        ];
        foreach (var verb in verbs)
        {
            foreach (var option in globals.All)
            {
                verb.Options.Add(option);
            }
        }
        return
        [
            .. verbs,
            NotYetBuilt.Create("auth", "Enable or disable authentication", "the security issue"),
            NotYetBuilt.Create("user", "Manage users", "the security issue"),
            NotYetBuilt.Create("role", "Manage roles", "the security issue"),
            NotYetBuilt.Create("backup", "Run, list, verify and restore backups", "the backup issue"),
        ];
    }
}
