using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Cairn.Storage.Benchmarks;

// dotnet run -c Release --project benchmarks/Cairn.Storage.Benchmarks -- latency [seconds]
// dotnet run -c Release --project benchmarks/Cairn.Storage.Benchmarks -- --filter '*' [--job short]
if (args.Length > 0 && args[0] == "latency")
{
    LatencyRunner.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
    return;
}

IConfig config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithId("short"));
BenchmarkSwitcher.FromAssembly(typeof(WalAppendBenchmarks).Assembly).Run(args, config);
