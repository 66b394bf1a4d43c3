using Cairn.Cli.Session;
using Cairn.Cli.Tests.Support;
using Cairn.Testing;

namespace Cairn.Cli.Tests.EndToEnd;

/// <summary>Failures a user meets on the network path: same message and exit code as etcdctl, over Cairn.Client.</summary>
public class ErrorPathTests
{
    [Theory]
    [InlineData("get", "a")]
    [InlineData("put", "a", "b")]
    [InlineData("member", "list")]
    [InlineData("endpoint", "health")]
    [InlineData("endpoint", "status")]
    [InlineData("endpoint", "hashkv")]
    [InlineData("lease", "grant", "10")]
    [InlineData("defrag")]
    public async Task An_unreachable_endpoint_fails_at_the_command_timeout_like_etcdctl(params string[] args)
    {
        string endpoint = $"127.0.0.1:{FreePort.Next()}";
        string[] common = ["--dial-timeout", "1s", "--command-timeout", "1s"];
        var etcdctl = await EtcdctlRaw.RunAsync(endpoint, [.. common, .. args]);
        var cairn = CliRun.Run(new ClientSessionFactory(), ["--endpoints", endpoint, .. common, .. args]);
        Assert.Equal(1, etcdctl.ExitCode);
        Assert.Contains("context deadline exceeded", etcdctl.Stderr);
        Assert.Equal((etcdctl.ExitCode, etcdctl.Text, etcdctl.Stderr), (cairn.ExitCode, cairn.Text, cairn.Stderr));
    }

    [Theory]
    [InlineData("get", "--no-such-flag", "a")]
    [InlineData("get", "a", "--rev", "x")]
    [InlineData("no-such-verb")]
    [InlineData("lease", "grant", "-5")]
    public void Bad_flags_are_usage_errors_with_exit_code_2_before_any_request(params string[] args)
    {
        var script = new EtcdScript();
        var result = CliRun.Run(ScriptedSession.For(script), args);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("Error: ", result.Stderr);
        Assert.Empty(script.Received);
    }
}
