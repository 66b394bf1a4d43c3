namespace Cairn.StorageCrashTest;

/// <summary>
/// The child's report channel: one line per acknowledged operation on stdout. A line the parent received
/// was written after the WAL said "durable"; a line lost in the pipe when the child was killed only makes
/// the parent check less, never wrongly.
/// </summary>
internal static class CrashLog
{
    private static readonly object Gate = new();
    private static readonly StreamWriter Output = new(Console.OpenStandardOutput()) { AutoFlush = true };

    internal static void Line(string line)
    {
        lock (Gate)
        {
            Output.WriteLine(line);
        }
    }
}
