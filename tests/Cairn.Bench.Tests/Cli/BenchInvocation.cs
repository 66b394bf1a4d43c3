using System.CommandLine;
using Cairn.Bench.Cli;
using Cairn.Cli;

namespace Cairn.Bench.Tests.Cli;

/// <summary>Runs <c>bench ARGS</c> in-process the way the cairn binary does (same exit-code contract), capturing output.</summary>
internal static class BenchInvocation
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(BenchCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        ParseResult parsed = root.Parse(["bench", .. args]);
        if (parsed.Errors.Count > 0)
        {
            // CommandLineRunner's path for parse errors: print them, exit 2.
            int code = await CommandLineRunner.RunAsync(root, ["bench", .. args], error, CancellationToken.None);
            return new Result(code, output.ToString(), error.ToString());
        }

        int exit = await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return new Result(exit, output.ToString(), error.ToString());
    }
}
