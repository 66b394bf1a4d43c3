namespace Cairn.Raft.Simulation;

/// <summary>
/// <c>cairn-raft-simulator SEEDS [FIRST_SEED] [--ticks N] [--mutation NAME[,NAME]] [--parallel N]</c>: runs the
/// deterministic Raft simulation over SEEDS consecutive seeds, prints every failure with its trace and the
/// command that reproduces it, and ends with <c>N passed, M failed</c>. Exit code 1 when any seed failed,
/// 2 for bad arguments.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (!TryParse(args, out Arguments? parsed, out string? error))
        {
            Console.Error.WriteLine($"cairn-raft-simulator: {error}");
            Console.Error.WriteLine("usage: simulate SEEDS [FIRST_SEED] [--ticks N] [--mutation NAME] [--parallel N]");
            Console.Error.WriteLine($"mutations: {string.Join(", ", Enum.GetNames<RaftMutation>().Where(n => n != "None"))}");
            return 2;
        }

        Console.WriteLine($"simulating seeds {parsed.FirstSeed}..{parsed.FirstSeed + (ulong)parsed.Seeds - 1}, {parsed.Ticks} ticks each" +
            (parsed.Mutations == RaftMutation.None ? "" : $", planted bugs: {parsed.Mutations}"));
        var timer = SimulationRunner.StartTimer();
        int failed = 0;
        IReadOnlyList<SimulationResult> results = SimulationRunner.RunSeeds(parsed.FirstSeed, parsed.Seeds, parsed.Ticks, parsed.Mutations,
            parsed.Parallelism, result =>
            {
                if (!result.Passed)
                {
                    failed++;
                    Console.Write(SimulationRunner.FormatFailure(result));
                }
            });
        Console.WriteLine(SimulationRunner.FormatTotals(results, timer.Elapsed, parsed.Ticks));
        Console.WriteLine(SimulationRunner.FormatLiveness(results));
        Console.WriteLine($"{results.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private sealed record Arguments(int Seeds, ulong FirstSeed, int Ticks, RaftMutation Mutations, int Parallelism);

    private static bool TryParse(string[] args, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Arguments? parsed, out string? error)
    {
        parsed = null;
        error = null;
        var positional = new List<string>();
        int ticks = 5000;
        int parallelism = Environment.ProcessorCount;
        RaftMutation mutations = RaftMutation.None;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--ticks" when int.TryParse(value, out ticks) && ticks > 0:
                case "--parallel" when int.TryParse(value, out parallelism) && parallelism > 0:
                    i++;
                    break;
                case "--mutation" when Enum.TryParse(value, ignoreCase: true, out mutations):
                    i++;
                    break;
                case "--ticks" or "--parallel" or "--mutation":
                    error = $"{args[i]} needs a valid value, got '{value}'";
                    return false;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        error = $"unknown option '{args[i]}'";
                        return false;
                    }

                    positional.Add(args[i]);
                    break;
            }
        }

        if (positional.Count is < 1 or > 2 || !int.TryParse(positional[0], out int seeds) || seeds < 1)
        {
            error = "SEEDS (a positive number of seeds to run) is required";
            return false;
        }

        ulong firstSeed = 1;
        if (positional.Count == 2 && !ulong.TryParse(positional[1], out firstSeed))
        {
            error = $"FIRST_SEED must be a non-negative number, got '{positional[1]}'";
            return false;
        }

        parsed = new Arguments(seeds, firstSeed, ticks, mutations, parallelism);
        return true;
    }
}
