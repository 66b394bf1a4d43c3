using System.CommandLine;
using System.Globalization;
using Cairn.Cli.Output;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary><c>compaction REV [--physical]</c>: prints "compacted revision N" whatever the output format, as etcdctl does.</summary>
internal static class CompactionVerb
{
    public static Command Create(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("compaction", "Compacts the event history in etcd", "revision");
        var physical = VerbBuilder.Flag(command, "--physical", "'true' to wait for compaction to physically remove all old revisions");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 1)
            {
                throw CliException.BadArgs("compaction command needs 1 argument");
            }
            string text = args.All[0];
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long revision))
            {
                throw CliException.Failure($"strconv.ParseInt: parsing {GoText.Quote(text)}: invalid syntax");
            }
            var request = new CompactionRequest { Revision = revision, Physical = context.Value(physical) };
            await using var session = await context.ConnectAsync(cancellation);
            await context.WithDeadlineAsync(token => session.CompactAsync(request, token), cancellation);
            context.Console.Output.Line($"compacted revision {revision}");
            return ExitCodes.Success;
        });
        return command;
    }
}
