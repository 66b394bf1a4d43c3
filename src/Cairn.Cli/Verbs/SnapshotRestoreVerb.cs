using System.CommandLine;
using System.Security.Cryptography;
using Cairn.Cli.Output;
using Cairn.Storage.Snapshots;

namespace Cairn.Cli.Verbs;

/// <summary>
/// <c>snapshot restore FILE --data-dir D</c>: turns an etcd 3.4 backup (saved from etcd or from Cairn) into a new Cairn
/// data directory, with etcdctl 3.4's flags, checks and messages. The key space, its history back to the compaction
/// and the leases come from the backup; the membership and this member's identity come from the flags, as with
/// etcdctl (<c>cairn serve</c> then keeps them whatever its own membership flags say).
/// </summary>
internal static class SnapshotRestoreVerb
{
    private const int Sha256Bytes = 32;

    // etcdctl 3.4 panics when the file is not a bbolt database, and a Go panic exits with 2.
    private const int NotADatabaseExitCode = 2;

    public static Command Create(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("restore", "Restores an etcd member snapshot to an etcd directory", "filename");
        var dataDir = VerbBuilder.Text(command, "--data-dir", "", "Path to the data directory");
        var name = VerbBuilder.Text(command, "--name", "default", "Human-readable name for this member");
        var initialCluster = VerbBuilder.Text(command, "--initial-cluster", "default=http://localhost:2380",
            "Initial cluster configuration for restore bootstrap");
        var clusterToken = VerbBuilder.Text(command, "--initial-cluster-token", "etcd-cluster",
            "Initial cluster token for the etcd cluster during restore bootstrap");
        var advertisePeerUrls = VerbBuilder.Text(command, "--initial-advertise-peer-urls", "http://localhost:2380",
            "List of this member's peer URLs to advertise to the rest of the cluster");
        var skipHashCheck = VerbBuilder.Flag(command, "--skip-hash-check",
            "Ignore snapshot integrity hash value (required if copied from data directory)");
        var walDir = VerbBuilder.Text(command, "--wal-dir", "", "Path to the WAL directory (use --data-dir if none given)");
        runner.SetAction(command, arguments, (context, args, _) =>
        {
            if (args.All.Count != 1)
            {
                throw CliException.BadArgs("snapshot restore requires exactly one argument");
            }

            string memberName = context.Value(name);
            List<(string Name, string PeerUrl)> members = ParseInitialCluster(context.Value(initialCluster));
            CheckLocalMember(memberName, members, context.Value(advertisePeerUrls));
            string dataDirectory = context.Value(dataDir) is { Length: > 0 } given ? given : memberName + ".etcd";
            string walDirectory = context.Value(walDir) is { Length: > 0 } wal ? wal : Path.Combine(dataDirectory, "wal");
            foreach ((string flag, string directory) in new[] { ("data-dir", dataDirectory), ("wal-dir", walDirectory) })
            {
                if (Directory.Exists(directory) || File.Exists(directory))
                {
                    throw CliException.Failure($"{flag} {GoText.Quote(directory)} exists");
                }
            }

            string path = args.All[0];
            CheckHash(path, context.Value(skipHashCheck));
            EtcdRestoreSummary summary = Restore(path, dataDirectory, walDirectory, members, memberName, context.Value(clusterToken));
            context.Console.Error.WriteLine($"restored snapshot {path} into {dataDirectory}: revision {summary.Revision}, " +
                $"compacted at {summary.CompactRevision}, {summary.Keys} keys, {summary.Records} revisions, {summary.Leases} leases");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static List<(string Name, string PeerUrl)> ParseInitialCluster(string initialCluster)
    {
        var members = new List<(string Name, string PeerUrl)>();
        foreach (string member in initialCluster.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = member.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw CliException.Failure($"{GoText.Quote(member)} is not a valid (name=URL) --initial-cluster entry");
            }

            members.Add((parts[0], parts[1]));
        }

        return members;
    }

    /// <summary>etcdctl's checks: the member is in the initial cluster, with the peer URLs it advertises.</summary>
    private static void CheckLocalMember(string name, List<(string Name, string PeerUrl)> members, string advertisePeerUrls)
    {
        List<string> listed = [.. members.Where(member => member.Name == name).Select(member => member.PeerUrl).Order(StringComparer.Ordinal)];
        if (listed.Count == 0)
        {
            throw CliException.Failure($"couldn't find local name {GoText.Quote(name)} in the initial cluster configuration");
        }

        List<string> advertised = [.. advertisePeerUrls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal)];
        if (!listed.SequenceEqual(advertised))
        {
            throw CliException.Failure($"--initial-cluster has {name}={string.Join(',', listed)} but missing from " +
                $"--initial-advertise-peer-urls={advertisePeerUrls} (resolved urls: {GoText.Quote(string.Join(',', advertised))} != " +
                $"{GoText.Quote(string.Join(',', listed))})");
        }
    }

    /// <summary>etcdctl's check: a file from <c>snapshot save</c> ends with the SHA-256 of what precedes it (its
    /// length is then 32 more than a multiple of 512); a database copied from a data directory has none.</summary>
    private static void CheckHash(string path, bool skip)
    {
        using FileStream file = OpenBackup(path);
        long length = file.Length;
        if (length < Sha256Bytes)
        {
            throw CliException.Failure($"seek {path}: invalid argument");
        }

        bool hasHash = length % 512 == Sha256Bytes;
        if (skip)
        {
            return;
        }

        if (!hasHash)
        {
            throw CliException.Failure("snapshot missing hash but --skip-hash-check=false");
        }

        byte[] stored = new byte[Sha256Bytes];
        file.Position = length - Sha256Bytes;
        file.ReadExactly(stored);
        file.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1 << 16];
        long remaining = length - Sha256Bytes;
        while (remaining > 0)
        {
            int read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            Invariant.Check(read > 0, "backup file shorter than its length");
            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }

        byte[] computed = hash.GetHashAndReset();
        if (!computed.AsSpan().SequenceEqual(stored))
        {
            throw CliException.Failure($"expected sha256 {GoBytes(stored)}, got {GoBytes(computed)}");
        }
    }

    private static FileStream OpenBackup(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            throw CliException.Failure($"open {path}: no such file or directory");
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw CliException.Failure($"open {path}: {failure.Message}");
        }
    }

    private static EtcdRestoreSummary Restore(string path, string dataDirectory, string walDirectory,
        List<(string Name, string PeerUrl)> members, string memberName, string clusterToken)
    {
        try
        {
            return EtcdBackendImportWriter.Restore(path, dataDirectory, walDirectory, members, memberName, clusterToken);
        }
        catch (InvalidDataException notADatabase)
        {
            DeletePartial(dataDirectory, walDirectory);
            throw new CliException(NotADatabaseExitCode, $"cannot open database at {path} ({notADatabase.Message})");
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            DeletePartial(dataDirectory, walDirectory);
            throw CliException.Failure($"cannot restore into {dataDirectory}: {failure.Message}");
        }
    }

    private static void DeletePartial(params string[] directories)
    {
        foreach (string directory in directories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A byte slice as Go's <c>%v</c> prints it: <c>[229 251 …]</c>.</summary>
    private static string GoBytes(byte[] bytes) => "[" + string.Join(' ', bytes) + "]";
}
