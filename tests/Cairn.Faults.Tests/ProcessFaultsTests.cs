using System.Diagnostics;
using Cairn.Faults;

namespace Cairn.Faults.Tests;

public sealed class ProcessFaultsTests
{
    private static char StateOf(int pid)
    {
        // /proc/PID/stat: "pid (comm) S ..."; the state follows the closing parenthesis.
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    private static async Task WaitForStateAsync(int pid, Func<char, bool> wanted, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!wanted(StateOf(pid)))
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"pid {pid} never became {what} (state {StateOf(pid)})");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Pause_stops_a_process_and_disposing_the_scope_resumes_it()
    {
        using Process sleeper = Process.Start("/bin/sleep", "30");
        try
        {
            using (ProcessFaults.PauseScoped(sleeper.Id))
            {
                await WaitForStateAsync(sleeper.Id, state => state == 'T', "stopped");
            }

            await WaitForStateAsync(sleeper.Id, state => state != 'T', "running again");
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public async Task Kill_ends_a_process_and_pausing_a_dead_pid_is_an_error()
    {
        using Process sleeper = Process.Start("/bin/sleep", "30");
        Assert.True(ProcessFaults.Kill(sleeper.Id));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await sleeper.WaitForExitAsync(timeout.Token);
        Assert.Equal(128 + 9, sleeper.ExitCode); // .NET reports death by signal N as 128 + N
        Assert.Throws<InvalidOperationException>(() => ProcessFaults.PauseScoped(sleeper.Id));
    }
}
