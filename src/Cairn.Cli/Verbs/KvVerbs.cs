using System.CommandLine;
using Cairn.Cli.Output;
using Cairn.Cli.Requests;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary><c>put</c>, <c>get</c> and <c>del</c>.</summary>
internal static class KvVerbs
{
    /// <summary>Longest value read from stdin by <c>put KEY</c> (etcd's default request limit is 1.5 MiB).</summary>
    public const int MaxStdinValueBytes = 64 * 1024 * 1024;

    public static Command Put(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("put", "Puts the given key into the store (the value may also come from stdin)", "key value");
        var lease = VerbBuilder.Text(command, "--lease", "0", "lease ID (in hexadecimal) to attach to the key");
        var prevKv = VerbBuilder.Flag(command, "--prev-kv", "return the previous key-value pair before modification");
        var ignoreValue = VerbBuilder.Flag(command, "--ignore-value", "updates the key using its current value");
        var ignoreLease = VerbBuilder.Flag(command, "--ignore-lease", "updates the key using its current lease");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            var keys = args.All.Select(KvRequests.Bytes).ToList();
            var flags = new PutFlags
            {
                Lease = context.Value(lease), PrevKv = context.Value(prevKv),
                IgnoreValue = context.Value(ignoreValue), IgnoreLease = context.Value(ignoreLease),
            };
            byte[]? value = keys.Count > 1 ? keys[1] : flags.IgnoreValue || keys.Count == 0 ? null : ReadStdin(context.Console.Input);
            var request = KvRequests.Put(keys, value, flags);
            await using var session = await context.ConnectAsync(cancellation);
            var response = await context.WithDeadlineAsync(token => session.PutAsync(request, token), cancellation);
            context.Printer.Put(response);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Get(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("get", "Gets the key or a range of keys", "key [range_end]");
        var consistency = VerbBuilder.Text(command, "--consistency", "l", "Linearizable(l) or Serializable(s)");
        var order = VerbBuilder.Text(command, "--order", "", "Order of results; ASCEND or DESCEND (ASCEND by default)");
        var sortBy = VerbBuilder.Text(command, "--sort-by", "", "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION");
        var limit = VerbBuilder.Number(command, "--limit", 0, "Maximum number of results");
        var prefix = VerbBuilder.Flag(command, "--prefix", "Get keys with matching prefix");
        var fromKey = VerbBuilder.Flag(command, "--from-key", "Get keys that are greater than or equal to the given key using byte compare");
        var revision = VerbBuilder.Number(command, "--rev", 0, "Specify the kv revision");
        var keysOnly = VerbBuilder.Flag(command, "--keys-only", "Get only the keys");
        var printValueOnly = VerbBuilder.Flag(command, "--print-value-only", "Only write values when using the \"simple\" output format");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            var flags = new GetFlags
            {
                Consistency = context.Value(consistency), Order = context.Value(order), SortBy = context.Value(sortBy),
                Limit = context.Value(limit), Prefix = context.Value(prefix), FromKey = context.Value(fromKey),
                Revision = context.Value(revision), KeysOnly = context.Value(keysOnly),
            };
            var request = KvRequests.Get(args.All.Select(KvRequests.Bytes).ToList(), flags);
            await using var session = await context.ConnectAsync(cancellation);
            var response = await context.WithDeadlineAsync(token => session.RangeAsync(request, token), cancellation);
            if (context.Value(printValueOnly))
            {
                if (context.Printer is not SimplePrinter simple)
                {
                    throw CliException.BadArgs("print-value-only is only for `--write-out=simple`");
                }
                simple.ValueOnly = true;
            }
            context.Printer.Get(response);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Del(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("del", "Removes the specified key or range of keys [key, range_end)", "key [range_end]");
        var prefix = VerbBuilder.Flag(command, "--prefix", "delete keys with matching prefix");
        var prevKv = VerbBuilder.Flag(command, "--prev-kv", "return deleted key-value pairs");
        var fromKey = VerbBuilder.Flag(command, "--from-key", "delete keys that are greater than or equal to the given key using byte compare");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            var flags = new DelFlags { Prefix = context.Value(prefix), PrevKv = context.Value(prevKv), FromKey = context.Value(fromKey) };
            var request = KvRequests.Delete(args.All.Select(KvRequests.Bytes).ToList(), flags);
            await using var session = await context.ConnectAsync(cancellation);
            var response = await context.WithDeadlineAsync(token => session.DeleteRangeAsync(request, token), cancellation);
            context.Printer.Del(response);
            return ExitCodes.Success;
        });
        return command;
    }

    // etcdctl reads the whole of stdin as the value; nothing at all means no value was given.
    private static byte[]? ReadStdin(Stream input)
    {
        var value = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            if (value.Length + read > MaxStdinValueBytes)
            {
                throw CliException.BadArgs($"value on stdin is larger than {MaxStdinValueBytes} bytes");
            }
            value.Write(buffer, 0, read);
        }
        return value.Length == 0 ? null : value.ToArray();
    }
}
