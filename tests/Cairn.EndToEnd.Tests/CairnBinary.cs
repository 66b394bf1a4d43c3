using System.Diagnostics;

namespace Cairn.EndToEnd.Tests;

/// <summary>Finds and runs the native-AOT cairn binary that build.sh publishes to out/cairn.</summary>
public static class CairnBinary
{
    /// <summary>Absolute path of the binary under test: $CAIRN_BIN, else out/cairn at the repository root.</summary>
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("CAIRN_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return System.IO.Path.GetFullPath(fromEnvironment);
        }
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Appliance.sln")))
        {
            directory = directory.Parent;
        }
        if (directory is null)
        {
            throw new InvalidOperationException("Cannot find the repository root (Appliance.sln); set CAIRN_BIN.");
        }
        string path = System.IO.Path.Combine(directory.FullName, "out", "cairn");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: run ./build.sh first (or set CAIRN_BIN).");
        }
        return path;
    }

    /// <summary>Runs cairn with <paramref name="arguments"/> to completion and captures its output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start {Path}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
