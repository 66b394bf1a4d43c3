using System.CommandLine;
using Cairn.Cli.Requests;
using Cairn.Cli.Session;
using Cairn.Cli.Txn;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary>
/// <c>watch [--prefix] [--rev N] [--prev-kv] [key] [range_end] [-- command ...]</c> and <c>watch -i</c>: prints
/// events until the server cancels the watch (then exit code 5, as etcdctl) or the user interrupts.
/// </summary>
internal static class WatchVerb
{
    public static Command Create(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("watch", "Watches events stream on keys or prefixes", "[key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]");
        var interactive = VerbBuilder.Flag(command, "--interactive", "Interactive mode", "-i");
        var prefix = VerbBuilder.Flag(command, "--prefix", "Watch on a prefix if prefix is set");
        var revision = VerbBuilder.Number(command, "--rev", 0, "Revision to start watching");
        var prevKv = VerbBuilder.Flag(command, "--prev-kv", "get the previous key-value pair before the event happens");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            var flags = new WatchFlags { Prefix = context.Value(prefix), Revision = context.Value(revision), PrevKv = context.Value(prevKv) };
            string? environmentKey = context.Environment("ETCDCTL_WATCH_KEY");
            string? environmentRangeEnd = context.Environment("ETCDCTL_WATCH_RANGE_END");
            if (context.Value(interactive))
            {
                return await new InteractiveWatch(context, flags, environmentKey, environmentRangeEnd).RunAsync(cancellation);
            }
            var target = WatchArguments.Parse(args.Before.Select(KvRequests.Bytes).ToList(), args.After, args.HasSeparator,
                flags, environmentKey, environmentRangeEnd);
            await using var session = await context.ConnectAsync(cancellation);
            await using var stream = await session.WatchAsync(cancellation);
            await stream.SendAsync(new WatchRequest { CreateRequest = target.Request }, cancellation);
            while (await stream.ReadAsync(cancellation) is { } response)
            {
                if (response.Created && !response.Canceled)
                {
                    continue;
                }
                if (response.Canceled && response.CompactRevision == 0)
                {
                    // clientv3 closes the watch without handing this response to etcdctl.
                    break;
                }
                WatchEvents.Deliver(context, response, target.ExecCommand);
                if (response.Canceled)
                {
                    break;
                }
            }
            throw new CliException(ExitCodes.Interrupted, "watch is canceled by the server");
        });
        return command;
    }
}

/// <summary>
/// <c>watch -i</c>: reads "watch KEY [flags] [-- command]" and "progress" lines from stdin and multiplexes the
/// watches on one stream, routing responses by watch ID. End of input ends cairn with exit code 3, as etcdctl.
/// </summary>
internal sealed class InteractiveWatch
{
    /// <summary>Longest accepted input line.</summary>
    private const int MaxLineBytes = 64 * 1024;

    private readonly VerbContext context;
    private readonly WatchFlags defaults;
    private readonly string? environmentKey;
    private readonly string? environmentRangeEnd;
    private readonly Queue<IReadOnlyList<string>> pendingCreates = new();
    private readonly Dictionary<long, IReadOnlyList<string>> execByWatchId = new();
    private readonly object gate = new();

    public InteractiveWatch(VerbContext context, WatchFlags defaults, string? environmentKey, string? environmentRangeEnd)
    {
        this.context = context;
        this.defaults = defaults;
        this.environmentKey = environmentKey;
        this.environmentRangeEnd = environmentRangeEnd;
    }

    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        await using var session = await context.ConnectAsync(cancellation);
        await using var stream = await session.WatchAsync(cancellation);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var printing = Task.Run(() => PrintAsync(stream, stop.Token), stop.Token);
        Task<string>? reading = null;
        try
        {
            while (true)
            {
                // Reading stdin cannot be cancelled, so wait for whichever comes first: a line or the end of printing.
                reading ??= Task.Run(ReadLine, CancellationToken.None);
                if (await Task.WhenAny(reading, printing) == printing)
                {
                    await printing;
                    throw new CliException(ExitCodes.Interrupted, "watch is canceled by the server");
                }
                string line = await reading;
                reading = null;
                await HandleAsync(line, stream, stop.Token);
            }
        }
        finally
        {
            stop.Cancel();
            await printing.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(string line, IDuplexCall<WatchRequest, WatchResponse> stream, CancellationToken cancellation)
    {
        List<byte[]> tokens = LineTokenizer.Split(line);
        string verb = tokens.Count > 0 ? System.Text.Encoding.UTF8.GetString(tokens[0]) : "";
        if (verb == "progress")
        {
            await stream.SendAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() }, cancellation);
            return;
        }
        if (verb != "watch")
        {
            context.Console.Error.WriteLine($"Invalid command {line} (only support watch)");
            return;
        }
        if (tokens.Count < 2 && string.IsNullOrEmpty(environmentKey))
        {
            context.Console.Error.WriteLine($"Invalid command {line} (command type or key is not provided)");
            return;
        }
        WatchTarget target;
        try
        {
            target = ParseLine(tokens.GetRange(1, tokens.Count - 1));
        }
        catch (CliException invalid) when (invalid.ExitCode == ExitCodes.BadArgs && invalid.Message.Contains("mutually exclusive", StringComparison.Ordinal))
        {
            context.Console.Error.WriteLine($"Invalid command {line} ({invalid.Message})");
            return;
        }
        lock (gate)
        {
            pendingCreates.Enqueue(target.ExecCommand);
        }
        await stream.SendAsync(new WatchRequest { CreateRequest = target.Request }, cancellation);
    }

    // A line takes the same flags as the command line; a flag on the line overrides the command line's.
    private WatchTarget ParseLine(List<byte[]> tokens)
    {
        var flags = defaults;
        var before = new List<byte[]>();
        var after = new List<string>();
        bool separator = false;
        for (int index = 0; index < tokens.Count; index++)
        {
            string token = System.Text.Encoding.UTF8.GetString(tokens[index]);
            if (separator)
            {
                after.Add(token);
            }
            else if (token == "--")
            {
                separator = true;
            }
            else if (token == "--prefix" || token == "--prev-kv")
            {
                flags = token == "--prefix" ? flags with { Prefix = true } : flags with { PrevKv = true };
            }
            else if (token.StartsWith("--rev", StringComparison.Ordinal))
            {
                string value = token.Length > 5 && token[5] == '=' ? token[6..] : ++index < tokens.Count ? System.Text.Encoding.UTF8.GetString(tokens[index]) : "";
                flags = flags with { Revision = GoInteger.TryParse(value, out long revision) ? revision : throw CliException.BadArgs($"invalid argument \"{value}\" for \"--rev\" flag") };
            }
            else if (token.Length > 1 && token[0] == '-')
            {
                throw CliException.BadArgs($"unknown flag: {token}");
            }
            else
            {
                before.Add(tokens[index]);
            }
        }
        return WatchArguments.Parse(before, after, separator, flags, environmentKey, environmentRangeEnd);
    }

    private async Task PrintAsync(IDuplexCall<WatchRequest, WatchResponse> stream, CancellationToken cancellation)
    {
        while (await stream.ReadAsync(cancellation) is { } response)
        {
            IReadOnlyList<string> exec;
            lock (gate)
            {
                if (response.Created && pendingCreates.Count > 0)
                {
                    execByWatchId[response.WatchId] = pendingCreates.Dequeue();
                }
                exec = execByWatchId.GetValueOrDefault(response.WatchId, []);
            }
            if ((response.Created && !response.Canceled) || (response.Canceled && response.CompactRevision == 0))
            {
                continue;
            }
            WatchEvents.Deliver(context, response, exec);
        }
    }

    private string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            int next = context.Console.Input.ReadByte();
            if (next < 0)
            {
                throw CliException.InvalidInput("Error reading watch request line: EOF");
            }
            if (next == '\n')
            {
                return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
            }
            if (bytes.Count >= MaxLineBytes)
            {
                throw CliException.InvalidInput($"watch request line longer than {MaxLineBytes} bytes");
            }
            bytes.Add((byte)next);
        }
    }
}
