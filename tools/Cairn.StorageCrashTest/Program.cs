using System.Globalization;
using Cairn.StorageCrashTest;

// cairn-storage-crashtest run [append|raft] [cycles] [directory] [seed] [writers]
//     kills a child writer with SIGKILL `cycles` times and checks the WAL after each kill (default 10000 cycles)
// cairn-storage-crashtest child-append <directory> <seed> <writers>   (started by run)
// cairn-storage-crashtest child-raft <directory> <seed>               (started by run)
string command = args.Length > 0 ? args[0] : "run";
int IntArgument(int position, int fallback) => args.Length > position ? int.Parse(args[position], CultureInfo.InvariantCulture) : fallback;
switch (command)
{
    case "child-append":
        return AppendWorkload.Run(args[1], IntArgument(3, 8), IntArgument(2, 1));
    case "child-raft":
        return RaftWorkload.Run(args[1], IntArgument(2, 1));
    case "run":
        var mode = args.Length > 1 && args[1] == "raft" ? CrashTestMode.Raft : CrashTestMode.Append;
        int cycles = IntArgument(2, 10_000);
        string directory = args.Length > 3 ? args[3] : Path.Combine(Path.GetTempPath(), "cairn-crashtest-" + Guid.NewGuid().ToString("N"));
        var runner = new CrashTestRunner(directory, mode, IntArgument(5, 8), IntArgument(4, Environment.TickCount), Console.WriteLine);
        try
        {
            CrashTestSummary summary = runner.Run(cycles);
            Console.WriteLine($"PASS: {summary.Cycles} cycles; {summary}");
            Directory.Delete(directory, recursive: true);
            return 0;
        }
        catch (CrashTestFailure failure)
        {
            Console.WriteLine($"FAIL: {failure.Message}\nThe WAL directory is kept for diagnosis: {directory}");
            return 1;
        }

    default:
        Console.Error.WriteLine("usage: cairn-storage-crashtest run [append|raft] [cycles] [directory] [seed] [writers]");
        return 2;
}
