using System.CommandLine;
using System.Diagnostics;
using Cairn.Cli.Output;
using Cairn.Cli.Session;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary><c>endpoint health|status|hashkv [--cluster]</c>: one request per endpoint.</summary>
internal static class EndpointVerbs
{
    public static Command Create(VerbRunner runner)
    {
        var endpoint = new Command("endpoint", "Endpoint related commands");
        var cluster = new Option<bool>("--cluster") { Description = "use all endpoints from the cluster member list", Recursive = true };
        endpoint.Options.Add(cluster);
        endpoint.Subcommands.Add(Health(runner, cluster));
        endpoint.Subcommands.Add(Status(runner, cluster));
        endpoint.Subcommands.Add(HashKV(runner, cluster));
        return endpoint;
    }

    private static Command Health(VerbRunner runner, Option<bool> cluster)
    {
        var (command, arguments) = VerbBuilder.Create("health", "Checks the healthiness of endpoints specified in `--endpoints` flag", "none");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            var endpoints = await ClusterEndpoints.ResolveAsync(context, context.Value(cluster), cancellation);
            var results = await Task.WhenAll(endpoints.Select(endpoint => ProbeAsync(context, endpoint, cancellation)));
            context.Printer.EndpointHealth(results);
            if (results.Any(result => result.Error.Length > 0))
            {
                throw CliException.Failure("unhealthy cluster");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // A linearizable read of key "health" commits through raft; success or "permission denied" means healthy.
    private static async Task<EndpointHealth> ProbeAsync(VerbContext context, string endpoint, CancellationToken cancellation)
    {
        long started = Stopwatch.GetTimestamp();
        string error = "";
        try
        {
            await using var session = await context.ConnectAsync(endpoint, cancellation);
            var request = new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("health") };
            await context.WithDeadlineAsync(token => session.RangeAsync(request, token), cancellation);
        }
        catch (EtcdCallException failure) when (failure.Message != "etcdserver: permission denied")
        {
            error = failure.Message;
        }
        catch (EtcdCallException)
        {
        }
        long elapsedNanoseconds = (long)((Stopwatch.GetTimestamp() - started) * (1_000_000_000.0 / Stopwatch.Frequency));
        return new EndpointHealth(endpoint, error.Length == 0, GoDuration.Format(elapsedNanoseconds), error);
    }

    private static Command Status(VerbRunner runner, Option<bool> cluster)
    {
        var (command, arguments) = VerbBuilder.Create("status", "Prints out the status of endpoints specified in `--endpoints` flag", "none");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            var endpoints = await ClusterEndpoints.ResolveAsync(context, context.Value(cluster), cancellation);
            var statuses = new List<EndpointStatus>();
            bool failed = false;
            foreach (string endpoint in endpoints)
            {
                try
                {
                    await using var session = await context.ConnectAsync(endpoint, cancellation);
                    statuses.Add(new EndpointStatus(endpoint, await context.WithDeadlineAsync(token => session.StatusAsync(new StatusRequest(), token), cancellation)));
                }
                catch (EtcdCallException failure)
                {
                    context.Console.Error.WriteLine($"Failed to get the status of endpoint {endpoint} ({failure.Message})");
                    failed = true;
                }
            }
            context.Printer.EndpointStatus(statuses);
            return failed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static Command HashKV(VerbRunner runner, Option<bool> cluster)
    {
        var (command, arguments) = VerbBuilder.Create("hashkv", "Prints the KV history hash for each endpoint in --endpoints", "none");
        var revision = VerbBuilder.Number(command, "--rev", 0, "maximum revision to hash (default: all revisions)");
        runner.SetAction(command, arguments, async (context, args, cancellation) =>
        {
            var endpoints = await ClusterEndpoints.ResolveAsync(context, context.Value(cluster), cancellation);
            var hashes = new List<EndpointHash>();
            string? lastError = null;
            var request = new HashKVRequest { Revision = context.Value(revision) };
            foreach (string endpoint in endpoints)
            {
                try
                {
                    await using var session = await context.ConnectAsync(endpoint, cancellation);
                    hashes.Add(new EndpointHash(endpoint, await context.WithDeadlineAsync(token => session.HashKVAsync(request, token), cancellation)));
                }
                catch (EtcdCallException failure)
                {
                    context.Console.Error.WriteLine($"Failed to get the hash of endpoint {endpoint} ({failure.Message})");
                    lastError = failure.Message;
                }
            }
            context.Printer.EndpointHashKV(hashes);
            return lastError is null ? ExitCodes.Success : throw CliException.Failure(lastError);
        });
        return command;
    }
}
