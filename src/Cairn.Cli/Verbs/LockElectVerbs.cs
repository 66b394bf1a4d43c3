using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cairn.Cli.Concurrency;
using Cairn.Cli.Requests;
using Cairn.Cli.Session;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary>
/// <c>lock NAME [command ...]</c> and <c>elect NAME PROPOSAL</c> / <c>elect -l NAME</c>: the client-side recipes
/// of etcdctl. Without a command, lock prints the lock key and holds it until interrupted; elect prints the
/// leader key once elected (or, with -l, every leader change) until interrupted.
/// </summary>
internal static class LockElectVerbs
{
    public static Command Lock(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("lock", "Acquires a named lock", "<lockname> [exec-command arg1 arg2 ...]");
        var ttl = VerbBuilder.Number(command, "--ttl", 10, "timeout for session");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count == 0)
            {
                throw CliException.BadArgs("lock takes a lock name argument and an optional command to execute");
            }
            await using var client = await context.ConnectAsync(cancellation);
            await using var session = await LeaseSession.StartAsync(client, context.Value(ttl), cancellation);
            var mutex = new LockMutex(client, session, args.All[0]);
            try
            {
                await mutex.LockAsync(cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
            if (args.All.Count > 1)
            {
                return await RunWhileLockedAsync(context, mutex, args.All.Skip(1).ToList());
            }
            var held = await context.WithDeadlineAsync(token => client.RangeAsync(new RangeRequest { Key = mutex.Key }, token), cancellation);
            if (held.Kvs.Count == 0)
            {
                throw CliException.Failure("lock lost on init");
            }
            context.Printer.Get(held);
            context.Console.Output.Flush();
            return await HoldAsync(mutex.UnlockAsync, session, "session expired", cancellation);
        });
        return command;
    }

    private static async Task<int> RunWhileLockedAsync(VerbContext context, LockMutex mutex, IReadOnlyList<string> commandLine)
    {
        var start = new ProcessStartInfo(commandLine[0]) { UseShellExecute = false };
        foreach (string argument in commandLine.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ETCD_LOCK_KEY"] = mutex.Key.ToStringUtf8();
        start.Environment["ETCD_LOCK_REV"] = (mutex.Header?.Revision ?? 0).ToString(CultureInfo.InvariantCulture);
        string? failure = null;
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("process did not start");
            await process.WaitForExitAsync();
            failure = process.ExitCode == 0 ? null : $"exit status {process.ExitCode}";
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            failure = $"fork/exec {commandLine[0]}: {error.Message}";
        }
        await mutex.UnlockAsync();
        return failure is null ? ExitCodes.Success : throw CliException.Failure(failure);
    }

    public static Command Elect(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("elect", "Observes and participates in leader election", "<election-name> [proposal]");
        var listen = VerbBuilder.Flag(command, "--listen", "observation mode", "-l");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count is not (1 or 2))
            {
                throw CliException.BadArgs("elect takes one election name argument and an optional proposal argument");
            }
            bool observe = context.Value(listen);
            if (args.All.Count == 1 && !observe)
            {
                throw CliException.BadArgs("no proposal argument but -l not set");
            }
            if (args.All.Count == 2 && observe)
            {
                throw CliException.BadArgs("proposal given but -l is set");
            }
            await using var client = await context.ConnectAsync(cancellation);
            var election = new Election(client, args.All[0]);
            return observe
                ? await ObserveAsync(context, election, cancellation)
                : await CampaignAsync(context, client, election, KvRequests.Bytes(args.All[1]), cancellation);
        });
        return command;
    }

    private static async Task<int> CampaignAsync(VerbContext context, IEtcdSession client, Election election, byte[] proposal, CancellationToken cancellation)
    {
        await using var session = await LeaseSession.StartAsync(client, 60, cancellation);
        try
        {
            await election.CampaignAsync(session, proposal, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        var leader = await context.WithDeadlineAsync(token => client.RangeAsync(new RangeRequest { Key = election.Key }, token), cancellation);
        context.Printer.Get(leader);
        context.Console.Output.Flush();
        return await HoldAsync(election.ResignAsync, session, "elect: session expired", cancellation);
    }

    private static async Task<int> ObserveAsync(VerbContext context, Election election, CancellationToken cancellation)
    {
        try
        {
            await foreach (var leader in election.ObserveAsync(cancellation))
            {
                context.Printer.Get(leader);
                context.Console.Output.Flush();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        return cancellation.IsCancellationRequested ? ExitCodes.Success : throw CliException.Failure("elect: observer lost");
    }

    // Holds the lock or leadership until the user interrupts (then releases it and succeeds) or the lease is lost.
    private static async Task<int> HoldAsync(Func<Task> release, LeaseSession session, string lostMessage, CancellationToken cancellation)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellation, session.Lost);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }
        if (!cancellation.IsCancellationRequested)
        {
            throw CliException.Failure(lostMessage);
        }
        await release();
        return ExitCodes.Success;
    }
}
