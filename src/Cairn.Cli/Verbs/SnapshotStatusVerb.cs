using System.CommandLine;
using System.Globalization;
using Cairn.Cli.Output;
using Cairn.Storage.Snapshots;

namespace Cairn.Cli.Verbs;

/// <summary>
/// <c>snapshot status FILE</c>: reads an etcd (bbolt) snapshot file, saved from Cairn or from etcd, and prints what
/// etcdctl 3.4 prints: hash, revision, total keys, total size, in the simple, json, fields and table formats.
/// </summary>
internal static class SnapshotStatusVerb
{
    public static Command Create(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("status", "Gets backend snapshot status of a given file", "filename");
        runner.SetAction(command, arguments, (context, args, _) =>
        {
            if (args.All.Count != 1)
            {
                throw CliException.BadArgs("snapshot status requires exactly one argument");
            }

            EtcdSnapshotStatus status = ReadStatus(args.All[0]);
            if (context.Settings.Format == OutputFormat.Protobuf)
            {
                throw CliException.BadFeature("protobuf not supported as output format");
            }

            Print(context.Console.Output, context.Settings.Format, status);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static EtcdSnapshotStatus ReadStatus(string path)
    {
        if (!File.Exists(path))
        {
            throw CliException.Failure($"stat {path}: no such file or directory");
        }

        try
        {
            return EtcdSnapshotStatus.Read(path);
        }
        catch (Exception failure) when (failure is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw CliException.Failure(failure.Message);
        }
    }

    private static void Print(OutputBuffer output, OutputFormat format, EtcdSnapshotStatus status)
    {
        string hash = status.Hash.ToString("x", CultureInfo.InvariantCulture);
        string size = Humanize.Bytes((ulong)status.TotalSize);
        switch (format)
        {
            case OutputFormat.Json:
                output.Append("{\"hash\":").Append((ulong)status.Hash).Append(",\"revision\":").Append(status.Revision)
                    .Append(",\"totalKey\":").Append(status.TotalKey).Append(",\"totalSize\":").Append(status.TotalSize).Line("}");
                break;
            case OutputFormat.Fields:
                output.Append("\"Hash\" : ").Append((ulong)status.Hash).NewLine();
                output.Append("\"Revision\" : ").Append(status.Revision).NewLine();
                output.Append("\"Keys\" : ").Append(status.TotalKey).NewLine();
                output.Append("\"Size\" : ").Append(status.TotalSize).NewLine();
                break;
            case OutputFormat.Table:
                var table = new TextTable("HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE");
                table.AddRow(hash, status.Revision.ToString(CultureInfo.InvariantCulture),
                    status.TotalKey.ToString(CultureInfo.InvariantCulture), size);
                table.WriteTo(output);
                break;
            default:
                output.Line($"{hash}, {status.Revision}, {status.TotalKey}, {size}");
                break;
        }
    }
}
