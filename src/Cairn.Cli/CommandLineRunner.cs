using System.CommandLine;

namespace Cairn.Cli;

/// <summary>Parses and runs a command line with cairn's exit-code contract (0 ok, 1 failure, 2 usage error).</summary>
public static class CommandLineRunner
{
    /// <summary>Runs <paramref name="args"/> against <paramref name="root"/> and returns the process exit code.</summary>
    public static int Run(RootCommand root, string[] args)
    {
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"Error: {error.Message}");
            }
            Console.Error.WriteLine("Run 'cairn --help' (or 'cairn <verb> --help') for usage.");
            return ExitCodes.Usage;
        }
        return parsed.Invoke();
    }
}
