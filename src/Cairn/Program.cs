using System.CommandLine;
using Cairn.Cli;

namespace Cairn;

/// <summary>The composition root: one native executable, every role behind a verb.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("Cairn: an etcd v3 compatible key-value store (server, client, backup agent, benchmark).");
        root.Subcommands.Add(Cairn.Server.Hosting.ServeCommand.Create());
        foreach (var verb in ClientCommands.Create())
        {
            root.Subcommands.Add(verb);
        }
        root.Subcommands.Add(Cairn.Configuration.CommandLine.ConfigCommand.Create());
        root.Subcommands.Add(Cairn.Bench.Cli.BenchCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        return CommandLineRunner.Run(root, args);
    }
}
