using System.Diagnostics;

namespace Cairn.Cluster.Tests;

/// <summary>Polling with a deadline instead of fixed sleeps.</summary>
public static class Poll
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; throws naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"not {what} after {timeout}");
    }
}
