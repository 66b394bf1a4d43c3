using System.CommandLine;
using System.Security.Cryptography;
using Cairn.Cli.Output;
using Cairn.Cli.Session;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary><c>snapshot save FILE</c>, <c>snapshot restore FILE</c> and <c>snapshot status FILE</c>.</summary>
internal static class SnapshotVerbs
{
    private const int Sha256Bytes = 32;

    public static Command Create(VerbRunner runner)
    {
        var snapshot = new Command("snapshot", "Manages etcd node snapshots");
        snapshot.Subcommands.Add(Save(runner));
        snapshot.Subcommands.Add(SnapshotRestoreVerb.Create(runner));
        snapshot.Subcommands.Add(SnapshotStatusVerb.Create(runner));
        return snapshot;
    }

    private static Command Save(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("save", "Stores an etcd node backend snapshot to a given file", "filename");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 1)
            {
                throw CliException.BadArgs("snapshot save expects one argument");
            }
            string path = args.All[0];
            if (context.Settings.Endpoints.Count != 1)
            {
                throw new CliException(ExitCodes.Interrupted,
                    $"snapshot must be requested to one selected node, not multiple {GoText.StringSlice(context.Settings.Endpoints)}");
            }
            try
            {
                await SaveAsync(context, path, cancellation);
            }
            catch (EtcdCallException failure)
            {
                throw new CliException(ExitCodes.Interrupted, failure.Message);
            }
            context.Console.Output.Line($"Snapshot saved at {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    // Downloads into PATH.part, checks the trailing SHA-256, syncs, then renames: a failed save never leaves a
    // file at PATH that looks complete.
    private static async Task SaveAsync(VerbContext context, string path, CancellationToken cancellation)
    {
        string partPath = path + ".part";
        try
        {
            await using (var file = OpenPart(partPath))
            {
                await using var session = await context.ConnectAsync(cancellation);
                using var deadline = context.CommandDeadline(cancellation);
                long size = await DownloadAsync(session, file, deadline, cancellation);
                file.Flush(flushToDisk: true);
                VerifyChecksum(file, size);
            }
            File.Move(partPath, path, overwrite: true);
        }
        finally
        {
            File.Delete(partPath);
        }
    }

    private static FileStream OpenPart(string partPath)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                // A snapshot holds every key and value: readable by its owner only, as etcdctl creates it.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            return new FileStream(partPath, options);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Interrupted, $"could not open {partPath} ({failure.Message})");
        }
    }

    private static async Task<long> DownloadAsync(IEtcdSession session, FileStream file, CancellationTokenSource deadline, CancellationToken cancellation)
    {
        long size = 0;
        try
        {
            await foreach (var chunk in session.SnapshotAsync(new SnapshotRequest(), deadline.Token))
            {
                file.Write(chunk.Blob.Span);
                size += chunk.Blob.Length;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new EtcdCallException(4, "context deadline exceeded");
        }
        return size;
    }

    // etcd appends the SHA-256 of the database to the stream; etcdctl only checks the size, Cairn checks the hash too.
    private static void VerifyChecksum(FileStream file, long size)
    {
        if (size % 512 != Sha256Bytes)
        {
            throw new CliException(ExitCodes.Interrupted, $"sha256 checksum not found [bytes: {size}]");
        }
        file.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long remaining = size - Sha256Bytes;
        while (remaining > 0)
        {
            int read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            Invariant.Check(read > 0, "snapshot file shorter than the bytes written to it");
            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }
        Span<byte> expected = stackalloc byte[Sha256Bytes];
        file.ReadExactly(expected);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(expected))
        {
            throw new CliException(ExitCodes.Interrupted, "snapshot sha256 checksum mismatch: the downloaded data is corrupt; try again");
        }
    }
}
