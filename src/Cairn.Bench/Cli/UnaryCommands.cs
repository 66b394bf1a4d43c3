using System.CommandLine;
using Cairn.Bench.Running;
using Cairn.Bench.Workloads;

namespace Cairn.Bench.Cli;

/// <summary>The unary workload verbs: <c>put</c>, <c>range</c>, <c>txn-put</c> (flags and defaults as etcd's benchmark).</summary>
internal static class UnaryCommands
{
    public static Command Put(GlobalOptions globals)
    {
        var keySize = OptionFactory.Int("--key-size", "Key size of put request", 8, 1, 1024 * 1024);
        var valueSize = OptionFactory.Int("--val-size", "Value size of put request", 8, 0, 64 * 1024 * 1024);
        var keySpace = OptionFactory.Long("--key-space-size", "Maximum possible keys", 1, 1);
        var sequential = new Option<bool>("--sequential-keys") { Description = "Use sequential keys (request i writes key i mod key-space-size)" };
        var keyStart = OptionFactory.Long("--key-start", "With --sequential-keys: the first key number (to add keys to an earlier run's)", 0, 0);
        var command = new Command("put", "Benchmark put") { keySize, valueSize, keySpace, sequential, keyStart };
        command.SetAction((parsed, cancel) =>
        {
            var put = new PutSettings(
                parsed.GetValue(keySize), parsed.GetValue(valueSize), parsed.GetValue(keySpace), parsed.GetValue(sequential), parsed.GetValue(keyStart));
            string? problem = BenchKeys.Validate(put.KeySize, put.KeySpaceSize)
                ?? (put.KeyStart > 0 && !put.SequentialKeys ? "--key-start needs --sequential-keys" : null);
            if (problem is not null)
            {
                return Task.FromResult(BenchRun.UsageError(parsed, problem));
            }

            return BenchRun.ExecuteAsync(parsed, globals, (settings, ct) => UnaryRunner.RunAsync(new PutWorkload(put), settings, ct), cancel);
        });
        return command;
    }

    public static Command Range(GlobalOptions globals)
    {
        var key = new Argument<string>("KEY") { Description = "The key to read" };
        var end = new Argument<string?>("END") { Description = "The end of the range [KEY, END)", Arity = ArgumentArity.ZeroOrOne };
        var consistency = new Option<string>("--consistency") { Description = "Linearizable (l) or Serializable (s)", DefaultValueFactory = _ => "l" }
            .AcceptOnlyFromAmongFluent("l", "s");
        var limit = OptionFactory.Long("--limit", "Maximum number of results (0 = no limit)", 0, 0);
        var countOnly = new Option<bool>("--count-only") { Description = "Only return the count of keys" };
        var command = new Command("range", "Benchmark range") { key, end, consistency, limit, countOnly };
        key.Validators.Add(result =>
        {
            if (string.IsNullOrEmpty(result.GetValueOrDefault<string>()))
            {
                result.AddError("KEY must not be empty");
            }
        });
        command.SetAction((parsed, cancel) => BenchRun.ExecuteAsync(parsed, globals, (settings, ct) =>
        {
            var workload = new RangeWorkload(new RangeSettings(
                parsed.GetValue(key)!, parsed.GetValue(end), parsed.GetValue(consistency) == "s", parsed.GetValue(limit), parsed.GetValue(countOnly)));
            return UnaryRunner.RunAsync(workload, settings, ct);
        }, cancel));
        return command;
    }

    public static Command TxnPut(GlobalOptions globals)
    {
        var keySize = OptionFactory.Int("--key-size", "Key size of each put in the txn", 8, 1, 1024 * 1024);
        var valueSize = OptionFactory.Int("--val-size", "Value size of each put in the txn", 8, 0, 64 * 1024 * 1024);
        var keySpace = OptionFactory.Long("--key-space-size", "Maximum possible keys", 1, 1);
        var ops = OptionFactory.Int("--txn-ops", "Number of puts per txn", 1, 1, 100_000);
        var command = new Command("txn-put", "Benchmark txn-put") { keySize, valueSize, keySpace, ops };
        command.SetAction((parsed, cancel) =>
        {
            var txn = new TxnPutSettings(parsed.GetValue(keySize), parsed.GetValue(valueSize), parsed.GetValue(keySpace), parsed.GetValue(ops));
            if (BenchKeys.Validate(txn.KeySize, txn.KeySpaceSize) is { } problem)
            {
                return Task.FromResult(BenchRun.UsageError(parsed, problem));
            }

            return BenchRun.ExecuteAsync(parsed, globals, (settings, ct) => UnaryRunner.RunAsync(new TxnPutWorkload(txn), settings, ct), cancel);
        });
        return command;
    }
}
