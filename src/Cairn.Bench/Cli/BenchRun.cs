using System.CommandLine;
using Cairn.Bench.Grpc;
using Cairn.Bench.Running;
using Cairn.Bench.Stats;
using Cairn.Cli;

namespace Cairn.Bench.Cli;

/// <summary>What every workload command does around its run: leader lookup, output in the chosen format, exit code.</summary>
internal static class BenchRun
{
    /// <summary>
    /// Reports a problem with the combination of flags (single flags are checked by their validators while parsing)
    /// the way the parser reports its errors: on stderr, exit code 2.
    /// </summary>
    public static int UsageError(ParseResult parsed, string problem)
    {
        parsed.InvocationConfiguration.Error.WriteLine($"Error: {problem}");
        parsed.InvocationConfiguration.Error.WriteLine("Run 'cairn bench <workload> --help' for usage.");
        return ExitCodes.Usage;
    }

    /// <summary>Runs one workload and prints its report; 0 when every request succeeded, 1 otherwise.</summary>
    public static async Task<int> ExecuteAsync(ParseResult parsed, GlobalOptions globals, Func<BenchSettings, CancellationToken, Task<BenchReport>> run, CancellationToken cancellationToken)
    {
        TextWriter output = parsed.InvocationConfiguration.Output, error = parsed.InvocationConfiguration.Error;
        try
        {
            BenchSettings settings = globals.Read(parsed);
            if (parsed.GetValue(globals.TargetLeader))
            {
                BenchEndpoint leader = await LeaderFinder.FindAsync(settings.Endpoints, settings.DialTimeout).ConfigureAwait(false);
                settings = settings with { Endpoints = [leader] };
            }

            BenchReport report = await run(settings, cancellationToken).ConfigureAwait(false);
            output.Write(globals.WantsJson(parsed) ? ReportJson.Serialize(report) + Environment.NewLine : ReportTextWriter.Format(report));
            if (report.Failed > 0)
            {
                error.WriteLine($"cairn bench {report.Workload}: {report.Failed} of {report.Attempted} failed (see the error distribution)");
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        }
        catch (BenchException exception)
        {
            error.WriteLine($"cairn bench: {exception.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("cairn bench: interrupted");
            return ExitCodes.Failure;
        }
    }
}
