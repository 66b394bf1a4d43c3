using System.CommandLine;
using System.CommandLine.Parsing;
using Cairn.Cli.Session;
using Cairn.Cli.Settings;

namespace Cairn.Cli.Verbs;

/// <summary>
/// Runs a client verb's body with the etcdctl conventions: settings resolved first, positional arguments checked
/// for unknown flags, failures printed as <c>Error: &lt;message&gt;</c> on stderr with the matching exit code, and
/// stdout flushed whatever happens.
/// </summary>
public sealed class VerbRunner
{
    private readonly GlobalOptions globals;
    private readonly CliConsole console;
    private readonly IEtcdSessionFactory sessions;
    private readonly Func<string, string?> environment;

    /// <summary>Creates a runner shared by all verbs of one command tree.</summary>
    public VerbRunner(GlobalOptions globals, CliConsole console, IEtcdSessionFactory sessions, Func<string, string?> environment)
    {
        this.globals = globals;
        this.console = console;
        this.sessions = sessions;
        this.environment = environment;
    }

    /// <summary>The global options every verb carries.</summary>
    public GlobalOptions Globals => globals;

    /// <summary>stdin, stdout and stderr.</summary>
    public CliConsole Console => console;

    /// <summary>
    /// Makes <paramref name="command"/> run <paramref name="body"/>; <paramref name="arguments"/> is the verb's
    /// positional argument list (checked for unknown flags, split at <c>--</c>).
    /// </summary>
    public void SetAction(Command command, Argument<string[]>? arguments, Func<VerbContext, VerbArguments, CancellationToken, Task<int>> body)
    {
        command.SetAction((parsed, cancellation) => RunAsync(parsed, arguments, body, cancellation));
    }

    private async Task<int> RunAsync(ParseResult parsed, Argument<string[]>? arguments,
        Func<VerbContext, VerbArguments, CancellationToken, Task<int>> body, CancellationToken cancellation)
    {
        try
        {
            var verbArguments = VerbArguments.From(parsed, arguments);
            var settings = globals.Resolve(parsed, environment);
            settings = PasswordPrompt.Complete(settings, console);
            var context = new VerbContext(parsed, settings, console, sessions, environment);
            return await body(context, verbArguments, cancellation).ConfigureAwait(false);
        }
        catch (CliException failure)
        {
            return Fail(failure.ExitCode, failure.Unprefixed ? failure.Message : $"Error: {failure.Message}");
        }
        catch (EtcdCallException failure)
        {
            return Fail(ExitCodes.Failure, $"Error: {failure.Message}");
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return ExitCodes.InterruptedBySignal;
        }
        finally
        {
            console.Output.Flush();
        }
    }

    private int Fail(int exitCode, string line)
    {
        console.Output.Flush();
        console.Error.WriteLine(line);
        return exitCode;
    }
}

/// <summary>A verb's positional arguments: those before <c>--</c> and those after it.</summary>
public sealed record VerbArguments(IReadOnlyList<string> Before, IReadOnlyList<string> After, bool HasSeparator)
{
    /// <summary>All positional arguments, in order (what cobra hands a command).</summary>
    public IReadOnlyList<string> All => [.. Before, .. After];

    /// <summary>
    /// Collects the arguments of <paramref name="argument"/>; a token before <c>--</c> that looks like a flag is an
    /// unknown flag (usage error), as in etcdctl.
    /// </summary>
    public static VerbArguments From(ParseResult parsed, Argument<string[]>? argument)
    {
        if (argument is null || parsed.GetResult(argument) is not { } result)
        {
            return new VerbArguments([], [], IndexOfSeparator(parsed.Tokens) >= 0);
        }
        int separatorIndex = IndexOfSeparator(parsed.Tokens);
        var before = new List<string>();
        var after = new List<string>();
        foreach (Token token in result.Tokens)
        {
            int position = IndexOf(parsed.Tokens, token);
            bool afterSeparator = separatorIndex >= 0 && position > separatorIndex;
            if (!afterSeparator && token.Value.Length > 1 && token.Value[0] == '-')
            {
                throw CliException.Usage(token.Value.StartsWith("--", StringComparison.Ordinal)
                    ? $"unknown flag: {token.Value}"
                    : $"unknown shorthand flag: '{token.Value[1]}' in {token.Value}");
            }
            (afterSeparator ? after : before).Add(token.Value);
        }
        return new VerbArguments(before, after, separatorIndex >= 0);
    }

    private static int IndexOfSeparator(IReadOnlyList<Token> tokens)
    {
        for (int index = 0; index < tokens.Count; index++)
        {
            if (tokens[index].Type == TokenType.DoubleDash)
            {
                return index;
            }
        }
        return -1;
    }

    private static int IndexOf(IReadOnlyList<Token> tokens, Token token)
    {
        for (int index = 0; index < tokens.Count; index++)
        {
            if (ReferenceEquals(tokens[index], token))
            {
                return index;
            }
        }
        return -1;
    }
}
