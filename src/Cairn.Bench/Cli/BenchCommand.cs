using System.CommandLine;

namespace Cairn.Bench.Cli;

/// <summary>
/// <c>cairn bench</c>: a load generator for etcd v3 servers (Cairn and etcd alike) with the flags and workloads of
/// etcd's benchmark tool, plus <c>compare</c>, which runs the same workloads side by side against real etcd and Cairn.
/// </summary>
public static class BenchCommand
{
    /// <summary>Creates the <c>bench</c> verb and its workloads.</summary>
    public static Command Create()
    {
        var globals = new GlobalOptions();
        var command = new Command("bench", "Benchmark an etcd v3 endpoint (flags and workloads of etcd's benchmark tool)");
        globals.AddTo(command);
        command.Subcommands.Add(UnaryCommands.Put(globals));
        command.Subcommands.Add(UnaryCommands.Range(globals));
        command.Subcommands.Add(UnaryCommands.TxnPut(globals));
        command.Subcommands.Add(StreamCommands.Watch(globals));
        command.Subcommands.Add(StreamCommands.LeaseKeepAlive(globals));
        return command;
    }
}
