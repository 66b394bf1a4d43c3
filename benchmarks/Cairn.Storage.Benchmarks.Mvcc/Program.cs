using BenchmarkDotNet.Running;
using Cairn.Storage.Benchmarks.Mvcc;

return args.Length > 0 && args[0] is "memory" or "load" or "concurrency"
    ? Probes.Run(args)
    : RunBenchmarks(args);

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(MvccPutBenchmarks).Assembly).Run(args);
    return 0;
}
