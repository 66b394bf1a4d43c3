using System.CommandLine;
using System.Globalization;
using Cairn.Cli.Output;
using Cairn.Cli.Requests;
using Cairn.Cli.Session;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary><c>lease grant|revoke|timetolive|list|keep-alive</c>.</summary>
internal static class LeaseVerbs
{
    public static Command Create(VerbRunner runner)
    {
        var lease = new Command("lease", "Lease related commands");
        lease.Subcommands.Add(Grant(runner));
        lease.Subcommands.Add(Revoke(runner));
        lease.Subcommands.Add(TimeToLive(runner));
        lease.Subcommands.Add(List(runner));
        lease.Subcommands.Add(KeepAlive(runner));
        return lease;
    }

    private static Command Grant(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("grant", "Creates leases", "ttl");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 1)
            {
                throw CliException.BadArgs("lease grant command needs TTL argument");
            }
            if (!long.TryParse(args.All[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ttl))
            {
                throw CliException.BadArgs($"bad TTL (strconv.ParseInt: parsing {GoText.Quote(args.All[0])}: invalid syntax)");
            }
            await using var session = await context.ConnectAsync(cancellation);
            var response = await Wrap("failed to grant lease", () =>
                context.WithDeadlineAsync(token => session.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttl }, token), cancellation));
            context.Printer.Grant(response);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("revoke", "Revokes leases", "leaseID");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 1)
            {
                throw CliException.BadArgs("lease revoke command needs 1 argument");
            }
            long id = LeaseIds.ParseArgument(args.All[0]);
            await using var session = await context.ConnectAsync(cancellation);
            var response = await Wrap("failed to revoke lease", () =>
                context.WithDeadlineAsync(token => session.LeaseRevokeAsync(new LeaseRevokeRequest { ID = id }, token), cancellation));
            context.Printer.Revoke(id, response);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command TimeToLive(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("timetolive", "Get lease information", "leaseID");
        var keys = VerbBuilder.Flag(command, "--keys", "Get keys attached to this lease");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 1)
            {
                throw CliException.BadArgs("lease timetolive command needs lease ID as argument");
            }
            long id = LeaseIds.ParseArgument(args.All[0]);
            bool withKeys = context.Value(keys);
            await using var session = await context.ConnectAsync(cancellation);
            var response = await AsBadConnection(() => context.WithDeadlineAsync(
                token => session.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = id, Keys = withKeys }, token), cancellation));
            context.Printer.TimeToLive(response, withKeys);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("list", "List all active leases", "none");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            await using var session = await context.ConnectAsync(cancellation);
            var response = await AsBadConnection(() =>
                context.WithDeadlineAsync(token => session.LeaseLeasesAsync(new LeaseLeasesRequest(), token), cancellation));
            context.Printer.Leases(response);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command KeepAlive(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("keep-alive", "Keeps leases alive (renew)", "leaseID");
        var once = VerbBuilder.Flag(command, "--once", "Resets the keep-alive time to its original value and exits immediately");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 1)
            {
                throw CliException.BadArgs("lease keep-alive command needs lease ID as argument");
            }
            long id = LeaseIds.ParseArgument(args.All[0]);
            await using var session = await context.ConnectAsync(cancellation);
            return context.Value(once)
                ? await KeepAliveOnceAsync(context, session, id, cancellation)
                : await KeepAliveLoopAsync(context, session, id, cancellation);
        });
        return command;
    }

    private static async Task<int> KeepAliveOnceAsync(VerbContext context, IEtcdSession session, long id, CancellationToken cancellation)
    {
        LeaseKeepAliveResponse? response;
        try
        {
            response = await context.WithDeadlineAsync(async token =>
            {
                await using var stream = await session.LeaseKeepAliveAsync(token);
                await stream.SendAsync(new LeaseKeepAliveRequest { ID = id }, token);
                return await stream.ReadAsync(token);
            }, cancellation);
        }
        catch (EtcdCallException failure)
        {
            throw new CliException(ExitCodes.BadConnection, failure.Message);
        }
        if (response is null || response.TTL <= 0)
        {
            // clientv3's KeepAliveOnce turns "TTL 0" (unknown or expired lease) into this error.
            throw new CliException(ExitCodes.BadConnection, "etcdserver: requested lease not found");
        }
        context.Printer.KeepAlive(response);
        return ExitCodes.Success;
    }

    // Sends a keep-alive every third of the TTL, like clientv3, until the lease is gone or the user stops it
    // (then the cancellation ends the verb like the signal ends etcdctl).
    private static async Task<int> KeepAliveLoopAsync(VerbContext context, IEtcdSession session, long id, CancellationToken cancellation)
    {
        await using var stream = await session.LeaseKeepAliveAsync(cancellation);
        while (true)
        {
            await stream.SendAsync(new LeaseKeepAliveRequest { ID = id }, cancellation);
            var response = await stream.ReadAsync(cancellation);
            if (response is null || response.TTL <= 0)
            {
                break;
            }
            context.Printer.KeepAlive(response);
            context.Console.Output.Flush();
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, response.TTL / 3)), cancellation);
        }
        if (context.Printer is SimplePrinter)
        {
            context.Console.Output.Line($"lease {GoText.LeaseHex(id)} expired or revoked.");
        }
        return ExitCodes.Success;
    }

    // etcdctl reports timetolive, list and keep-alive failures as bad connections (exit code 2).
    private static async Task<T> AsBadConnection<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (EtcdCallException failure)
        {
            throw new CliException(ExitCodes.BadConnection, failure.Message);
        }
    }

    // etcdctl wraps grant and revoke errors: "failed to revoke lease (etcdserver: requested lease not found)".
    private static async Task<T> Wrap<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (EtcdCallException failure)
        {
            throw CliException.Failure($"{what} ({failure.Message})");
        }
    }
}
