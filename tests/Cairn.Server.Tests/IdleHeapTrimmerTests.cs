using Cairn.Server.Hosting;

namespace Cairn.Server.Tests;

public class IdleHeapTrimmerTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(2, 400 * MiB, 100 * MiB, true)] // quiet after a burst: trim
    [InlineData(1, 400 * MiB, 100 * MiB, false)] // quiet only once: a pause between requests, not idleness
    [InlineData(0, 400 * MiB, 100 * MiB, false)] // busy: never pause callers
    [InlineData(5, 120 * MiB, 100 * MiB, false)] // quiet but the heap barely grew: the pause would buy nothing
    [InlineData(5, 132 * MiB, 100 * MiB, true)]
    [InlineData(5, 2048 * MiB, 100 * MiB, false)] // a pause that long could delay raft heartbeats: left to the GC
    public void Trims_only_when_quiet_and_grown(int quietChecks, long committed, long committedAfterLastTrim, bool expected) =>
        Assert.Equal(expected, IdleHeapTrimmer.ShouldTrim(quietChecks, committed, committedAfterLastTrim));
}
