using System.CommandLine;
using Cairn.Bench.Grpc;
using Cairn.Bench.Running;
using Cairn.Bench.Stats;

namespace Cairn.Bench.Cli;

/// <summary>The flags every <c>cairn bench</c> workload takes (etcd benchmark's global flags), given anywhere on the line.</summary>
internal sealed class GlobalOptions
{
    public Option<string[]> Endpoints { get; } = new("--endpoints")
    {
        Description = "Comma-separated gRPC endpoints (host:port or http://host:port)",
        DefaultValueFactory = _ => ["127.0.0.1:2379"],
        Recursive = true,
    };

    public Option<int> Connections { get; } = Recursive(OptionFactory.Int("--conns", "Number of HTTP/2 connections", 1, 1, 100_000));

    public Option<int> Clients { get; } = Recursive(OptionFactory.Int("--clients", "Number of concurrent clients (spread over the connections)", 1, 1, 1_000_000));

    public Option<long> Total { get; } = Recursive(OptionFactory.Long("--total", "Total number of requests", 10_000, 1, LatencyRecorder.MaxRecordedRequests));

    public Option<int> Rate { get; } = Recursive(OptionFactory.Int("--rate", "Maximum requests per second (0 = no limit)", 0, 0));

    public Option<bool> TargetLeader { get; } = new("--target-leader") { Description = "Send requests to the leader only (asks each endpoint for its status)", Recursive = true };

    public Option<string> WriteOut { get; } = Recursive(new Option<string>("--write-out", "-w") { Description = "Output format: simple or json", DefaultValueFactory = _ => "simple" }.AcceptOnlyFromAmongFluent("simple", "json"));

    public Option<TimeSpan> DialTimeout { get; } = Recursive(OptionFactory.Duration("--dial-timeout", "Timeout for connecting to a server", TimeSpan.FromSeconds(5)));

    public Option<string> Transport { get; } = Recursive(new Option<string>("--transport")
    {
        Description = "Client library: lean (purpose-built HTTP/2 client, the default) or cairn-client (Cairn.Client, for comparing client cost)",
        DefaultValueFactory = _ => "lean",
    }.AcceptOnlyFromAmongFluent("lean", "cairn-client"));

    public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Do not draw the progress bar (it is only drawn when stderr is a terminal)", Recursive = true };

    /// <summary>Adds the options to the <c>bench</c> command and checks the endpoint list.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Endpoints);
        command.Options.Add(Connections);
        command.Options.Add(Clients);
        command.Options.Add(Total);
        command.Options.Add(Rate);
        command.Options.Add(TargetLeader);
        command.Options.Add(WriteOut);
        command.Options.Add(DialTimeout);
        command.Options.Add(Transport);
        command.Options.Add(NoProgress);
        Endpoints.Validators.Add(result =>
        {
            if (!BenchEndpoint.TryParseList(result.GetValueOrDefault<string[]>() ?? [], out _, out string error))
            {
                result.AddError(error);
            }
        });
    }

    /// <summary>The settings of a parsed command line (already validated).</summary>
    public BenchSettings Read(ParseResult parsed, IReadOnlyList<BenchEndpoint>? endpointsOverride = null)
    {
        BenchEndpoint.TryParseList(parsed.GetValue(Endpoints) ?? [], out List<BenchEndpoint> endpoints, out _);
        return new BenchSettings(
            endpointsOverride ?? endpoints,
            parsed.GetValue(Connections),
            parsed.GetValue(Clients),
            parsed.GetValue(Total),
            parsed.GetValue(Rate),
            parsed.GetValue(Transport) == "cairn-client" ? BenchTransport.CairnClient : BenchTransport.Lean,
            parsed.GetValue(DialTimeout),
            !parsed.GetValue(NoProgress));
    }

    /// <summary>True for <c>-w json</c>.</summary>
    public bool WantsJson(ParseResult parsed) => parsed.GetValue(WriteOut) == "json";

    private static Option<T> Recursive<T>(Option<T> option)
    {
        option.Recursive = true;
        return option;
    }
}

/// <summary>Fluent form of <c>AcceptOnlyFromAmong</c>, for initializers.</summary>
internal static class OptionExtensions
{
    public static Option<T> AcceptOnlyFromAmongFluent<T>(this Option<T> option, params string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}
