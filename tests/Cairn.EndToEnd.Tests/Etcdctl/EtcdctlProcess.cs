using System.Diagnostics;
using System.Text;

namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>
/// A long-running stock etcdctl (watch, lock, elect, lease keep-alive): its stdout lines are collected as they come,
/// a test waits for the lines it expects, and the process is killed (by its own PID) when the test is done.
/// </summary>
internal sealed class EtcdctlProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> lines = new();
    private readonly StringBuilder stderr = new();

    private EtcdctlProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Stdout lines so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return lines.ToArray();
            }
        }
    }

    /// <summary>The etcdctl process id.</summary>
    public int ProcessId => process.Id;

    /// <summary>True once etcdctl has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Starts <c>etcdctl --endpoints ENDPOINT ARGS...</c> (API v3).</summary>
    public static EtcdctlProcess Start(string endpoint, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/etcdctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.Environment["ETCDCTL_API"] = "3";
        foreach (string argument in new[] { "--endpoints", endpoint, "--dial-timeout", "5s" }.Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        return new EtcdctlProcess(Process.Start(startInfo) ?? throw new InvalidOperationException("cannot start etcdctl"));
    }

    /// <summary>Waits until stdout holds at least <paramref name="count"/> lines; fails with everything printed otherwise.</summary>
    public Task<IReadOnlyList<string>> WaitForLinesAsync(int count, TimeSpan? timeout = null) =>
        WaitForAsync(now => now.Count >= count, $"{count} lines", timeout);

    /// <summary>Waits until stdout holds a line equal to <paramref name="line"/>.</summary>
    public Task<IReadOnlyList<string>> WaitForLineAsync(string line, TimeSpan? timeout = null) =>
        WaitForAsync(now => now.Contains(line), $"the line '{line}'", timeout);

    /// <summary>Waits until <paramref name="done"/> holds for the stdout lines so far.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(Func<IReadOnlyList<string>, bool> done, string what, TimeSpan? timeout = null)
    {
        var stopwatch = Stopwatch.StartNew();
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(20);
        while (stopwatch.Elapsed < limit)
        {
            IReadOnlyList<string> now = Lines;
            if (done(now))
            {
                return now;
            }

            if (process.HasExited)
            {
                // Its last lines may still be on the way from the pipe: waiting for the exit also waits for them.
                await process.WaitForExitAsync();
                if (done(Lines))
                {
                    return Lines;
                }

                break;
            }

            await Task.Delay(20);
        }

        string stderrText;
        lock (stderr)
        {
            stderrText = stderr.ToString();
        }

        throw new TimeoutException($"etcdctl did not print {what} (exited: {process.HasExited})\nstdout:\n{string.Join('\n', Lines)}\nstderr:\n{stderrText}");
    }

    /// <summary>Kills etcdctl (SIGKILL to its own PID) and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
