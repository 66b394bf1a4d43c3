using System.Diagnostics;

namespace Cairn.Faults;

/// <summary>Runs short system commands (ip, iptables) and fails loudly with their output.</summary>
public static class CommandRunner
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="fileName"/>; throws with stderr when it fails.</summary>
    public static void Run(string fileName, params string[] arguments)
    {
        (int exitCode, string output) = TryRun(fileName, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`{fileName} {string.Join(' ', arguments)}` exited with {exitCode}: {output.Trim()}");
        }
    }

    /// <summary>Runs <paramref name="fileName"/> and returns its exit code and combined output (never throws for a non-zero exit).</summary>
    public static (int ExitCode, string Output) TryRun(string fileName, params string[] arguments)
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

        using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill();
            return (-1, $"timed out after {CommandTimeout}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
