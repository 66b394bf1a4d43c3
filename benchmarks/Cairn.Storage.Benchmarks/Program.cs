using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Cairn.Storage.Benchmarks;

// dotnet run -c Release --project benchmarks/Cairn.Storage.Benchmarks -- latency [seconds] [all|1|16|256|sync]
// dotnet run -c Release --project benchmarks/Cairn.Storage.Benchmarks -- probe [operations]
// dotnet run -c Release --project benchmarks/Cairn.Storage.Benchmarks -- --filter '*' [--job short]
if (args.Length > 0 && args[0] == "latency")
{
    LatencyRunner.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5, args.Length > 2 ? args[2] : "all");
    return;
}

if (args.Length > 0 && args[0] == "probe")
{
    SyncProbe.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000);
    return;
}

// In-process: these benchmarks measure I/O, and on a loaded two-core machine building the usual
// out-of-process boilerplate project can exceed BenchmarkDotNet's build timeout.
IConfig config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("short-inprocess"));
BenchmarkSwitcher.FromAssembly(typeof(WalAppendBenchmarks).Assembly).Run(args, config);
