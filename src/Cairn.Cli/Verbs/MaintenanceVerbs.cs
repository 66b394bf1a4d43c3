using System.CommandLine;
using System.Globalization;
using Cairn.Cli.Output;
using Cairn.Cli.Session;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary><c>alarm list|disarm</c>, <c>defrag</c> and <c>move-leader</c>.</summary>
internal static class MaintenanceVerbs
{
    public static Command Alarm(VerbRunner runner)
    {
        var alarm = new Command("alarm", "Alarm related commands");
        var (list, listArguments) = VerbBuilder.Create("list", "Lists all alarms", "none");
        runner.SetAction(list, listArguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 0)
            {
                throw CliException.BadArgs("alarm list command accepts no arguments");
            }
            await using var session = await context.ConnectAsync(cancellation);
            context.Printer.Alarm(await context.WithDeadlineAsync(token => ListAsync(session, token), cancellation));
            return ExitCodes.Success;
        });
        var (disarm, disarmArguments) = VerbBuilder.Create("disarm", "Disarms all alarms", "none");
        runner.SetAction(disarm, disarmArguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 0)
            {
                throw CliException.BadArgs("alarm disarm command accepts no arguments");
            }
            await using var session = await context.ConnectAsync(cancellation);
            context.Printer.Alarm(await context.WithDeadlineAsync(token => DisarmAllAsync(session, token), cancellation));
            return ExitCodes.Success;
        });
        alarm.Subcommands.Add(list);
        alarm.Subcommands.Add(disarm);
        return alarm;
    }

    private static Task<AlarmResponse> ListAsync(IEtcdSession session, CancellationToken cancellation) =>
        session.AlarmAsync(new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Get }, cancellation);

    // Like clientv3: list the alarms, deactivate each, and answer with the alarms the deactivations returned.
    private static async Task<AlarmResponse> DisarmAllAsync(IEtcdSession session, CancellationToken cancellation)
    {
        var listed = await ListAsync(session, cancellation);
        var disarmed = new AlarmResponse();
        foreach (var alarm in listed.Alarms)
        {
            var request = new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Deactivate, MemberID = alarm.MemberID, Alarm = alarm.Alarm };
            disarmed.Alarms.AddRange((await session.AlarmAsync(request, cancellation)).Alarms);
        }
        return disarmed;
    }

    public static Command Defrag(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("defrag", "Defragments the storage of the etcd members with given endpoints", "none");
        var cluster = VerbBuilder.Flag(command, "--cluster", "use all endpoints from the cluster member list");
        var dataDirectory = VerbBuilder.Text(command, "--data-dir", "", "Optional. If present, defragments a data directory not in use by etcd (not supported by cairn).");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (context.Value(dataDirectory).Length > 0)
            {
                throw CliException.BadFeature("defrag --data-dir (offline defragmentation of an etcd bbolt data directory) is not supported by cairn; defragment a running member instead");
            }
            var endpoints = await ClusterEndpoints.ResolveAsync(context, context.Value(cluster), cancellation);
            bool failed = false;
            foreach (string endpoint in endpoints)
            {
                try
                {
                    await using var session = await context.ConnectAsync(endpoint, cancellation);
                    await context.WithDeadlineAsync(token => session.DefragmentAsync(new DefragmentRequest(), token), cancellation);
                    context.Console.Output.Line($"Finished defragmenting etcd member[{endpoint}]");
                }
                catch (EtcdCallException failure)
                {
                    context.Console.Error.WriteLine($"Failed to defragment etcd member[{endpoint}] ({failure.Message})");
                    failed = true;
                }
            }
            return failed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    public static Command MoveLeader(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("move-leader", "Transfers leadership to another etcd cluster member.", "transferee-member-id");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 1)
            {
                throw CliException.BadArgs("move-leader command needs 1 argument");
            }
            if (!ulong.TryParse(args.All[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong target))
            {
                throw CliException.BadArgs($"strconv.ParseUint: parsing {GoText.Quote(args.All[0])}: invalid syntax");
            }
            using var deadline = context.CommandDeadline(cancellation);
            foreach (string endpoint in context.Settings.Endpoints)
            {
                await using var session = await context.ConnectAsync(endpoint, deadline.Token);
                var status = await context.WithDeadlineAsync(token => session.StatusAsync(new StatusRequest(), token), deadline.Token);
                if (status.Header?.MemberId == status.Leader)
                {
                    var response = await context.WithDeadlineAsync(token => session.MoveLeaderAsync(new MoveLeaderRequest { TargetID = target }, token), deadline.Token);
                    context.Printer.MoveLeader(status.Leader, target, response);
                    return ExitCodes.Success;
                }
            }
            throw CliException.BadArgs($"no leader endpoint given at {GoText.StringSlice(context.Settings.Endpoints)}");
        });
        return command;
    }
}
