namespace Cairn.Testing;

/// <summary>Stock etcdctl 3.4 (Debian etcd-client), the reference client.</summary>
public static class Etcdctl
{
    /// <summary>Runs <c>etcdctl --endpoints ENDPOINT ARGS...</c> with the v3 API.</summary>
    public static Task<ProcessResult> RunAsync(string endpoint, params string[] arguments) =>
        RunWithInputAsync(endpoint, null, arguments);

    /// <summary>Runs etcdctl with <paramref name="stdin"/> (for <c>txn</c>).</summary>
    public static Task<ProcessResult> RunWithInputAsync(string endpoint, string? stdin, params string[] arguments)
    {
        if (!File.Exists("/usr/bin/etcdctl"))
        {
            throw new InvalidOperationException("/usr/bin/etcdctl is missing: ./build.sh test installs etcd-client");
        }
        return ProcessRunner.RunAsync(
            "/usr/bin/etcdctl",
            new[] { "--endpoints", endpoint, "--dial-timeout", "5s", "--command-timeout", "20s" }.Concat(arguments),
            stdin,
            new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });
    }
}
