using System.CommandLine;
using Cairn.Cli.Settings;

namespace Cairn.Cli;

/// <summary>Parses and runs a command line with cairn's exit-code contract (0 ok, 1 failure, 2 usage error).</summary>
public static class CommandLineRunner
{
    /// <summary>Runs <paramref name="args"/> against <paramref name="root"/> and returns the process exit code.</summary>
    public static int Run(RootCommand root, string[] args) => Run(root, args, Console.Error);

    /// <summary>Runs <paramref name="args"/> against <paramref name="root"/>, writing usage errors to <paramref name="error"/>.</summary>
    public static int Run(RootCommand root, string[] args, TextWriter error)
    {
        ParseResult parsed = root.Parse(GlobalFlagOrder.MoveAfterVerb(args));
        return ReportUsageErrors(parsed, error) ?? parsed.Invoke();
    }

    /// <summary>
    /// Runs <paramref name="args"/> until done or until <paramref name="cancellation"/> fires, which long-running verbs
    /// (watch, lock, elect, keep-alive) treat like Ctrl-C.
    /// </summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter error, CancellationToken cancellation)
    {
        ParseResult parsed = root.Parse(GlobalFlagOrder.MoveAfterVerb(args));
        return ReportUsageErrors(parsed, error) ?? await parsed.InvokeAsync(null, cancellation);
    }

    private static int? ReportUsageErrors(ParseResult parsed, TextWriter error)
    {
        if (parsed.Errors.Count == 0)
        {
            return null;
        }
        foreach (var parseError in parsed.Errors)
        {
            error.WriteLine($"Error: {parseError.Message}");
        }
        error.WriteLine("Run 'cairn --help' (or 'cairn <verb> --help') for usage.");
        return ExitCodes.Usage;
    }
}
