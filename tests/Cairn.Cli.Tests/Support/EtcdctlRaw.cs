using System.Diagnostics;

namespace Cairn.Cli.Tests.Support;

/// <summary>Runs stock etcdctl 3.4 and keeps its stdout as raw bytes (protobuf and binary values are not text).</summary>
public static class EtcdctlRaw
{
    /// <summary>Runs <c>etcdctl --endpoints ENDPOINT ARGS</c> with optional stdin and extra environment.</summary>
    public static Task<CommandResult> RunAsync(string endpoint, string[] args, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        RawProcess.RunAsync("/usr/bin/etcdctl", ["--endpoints", endpoint, "--dial-timeout", "5s", "--command-timeout", "20s", .. args],
            stdin, new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["ETCDCTL_API"] = "3" });
}

/// <summary>Runs a program to completion, keeping stdout as raw bytes.</summary>
public static class RawProcess
{
    /// <summary>Runs <paramref name="fileName"/>; a run longer than 60 s is killed and fails the test.</summary>
    public static async Task<CommandResult> RunAsync(string fileName, string[] args, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in args)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within 60 s");
        }
        await copy;
        return new CommandResult(process.ExitCode, stdout.ToArray(), WithoutClientLogs(await stderr));
    }

    // etcdctl's gRPC client logs retries as JSON lines on stderr; they are not part of the command's output.
    private static string WithoutClientLogs(string stderr) =>
        string.Concat(stderr.Split('\n').Where(line => !line.StartsWith("{\"level\":", StringComparison.Ordinal)).Select(line => line + "\n"))[..^1];
}
