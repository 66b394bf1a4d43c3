using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Cairn.Testing;

/// <summary>
/// A long-running server process (cairn or real etcd) started by a test: its output is kept for failure
/// messages, and it is stopped by PID when the test is done.
/// </summary>
public class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    protected ServerProcess(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        CommandLine = $"{fileName} {string.Join(' ', startInfo.ArgumentList)}";
        process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The command line that started the process (for failure messages).</summary>
    public string CommandLine { get; }

    /// <summary>The process id.</summary>
    public int Pid => process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The exit code; only valid after <see cref="HasExited"/>.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Everything the process printed so far (stdout and stderr interleaved, last 2,000 lines).</summary>
    public string Output
    {
        get
        {
            var text = new StringBuilder();
            foreach (string line in output)
            {
                text.AppendLine(line);
            }
            return text.ToString();
        }
    }

    /// <summary>Sends a POSIX signal (see <see cref="Signals"/>).</summary>
    public bool Signal(int signal) => Signals.Send(Pid, signal);

    /// <summary>Waits for the process to exit; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Asks the process to stop (SIGTERM), then kills it if it does not exit within 10 seconds.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Signal(Signals.Continue);
            Signal(Signals.Terminate);
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(10)))
            {
                Signal(Signals.Kill);
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }
        process.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Polls <paramref name="probe"/> until it returns true; fails with the process output otherwise.</summary>
    protected async Task WaitUntilAsync(Func<Task<bool>> probe, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{CommandLine} exited with {process.ExitCode} before {what}\n{Output}");
            }
            try
            {
                if (await probe())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"{CommandLine}: not {what} after {timeout}\n{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        output.Enqueue(line);
        while (output.Count > 2000 && output.TryDequeue(out _))
        {
        }
    }
}
