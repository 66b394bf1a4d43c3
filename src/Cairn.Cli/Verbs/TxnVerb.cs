using System.CommandLine;
using Cairn.Cli.Txn;

namespace Cairn.Cli.Verbs;

/// <summary><c>txn [-i]</c>: a transaction read from stdin (compares, success ops, failure ops; see <see cref="TxnReader"/>).</summary>
internal static class TxnVerb
{
    public static Command Create(VerbRunner runner)
    {
        var (command, arguments) = VerbBuilder.Create("txn", "Txn processes all the requests in one transaction (read from stdin)", "none");
        var interactive = VerbBuilder.Flag(command, "--interactive", "Input transaction in interactive mode", "-i");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            if (args.All.Count != 0)
            {
                throw CliException.BadArgs("txn command does not accept argument");
            }
            var output = context.Console.Output;
            Action<string>? prompt = context.Value(interactive) ? text => output.Line(text).Flush() : null;
            var request = new TxnReader(context.Console.Input, prompt).Read();
            await using var session = await context.ConnectAsync(cancellation);
            var response = await context.WithDeadlineAsync(token => session.TxnAsync(request, token), cancellation);
            context.Printer.Txn(response);
            return ExitCodes.Success;
        });
        return command;
    }
}
