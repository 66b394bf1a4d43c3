using Cairn.Cli;

namespace Cairn.Bench.Tests.Cli;

/// <summary>Flag validation: every bad value is a usage error (exit 2) naming the flag, before any connection is made.</summary>
public sealed class BenchFlagTests
{
    // A port nothing listens on: a flag error must be reported without ever trying to connect.
    private const string Nowhere = "127.0.0.1:1";

    [Theory]
    [InlineData("--conns", "0", "put")]
    [InlineData("--conns", "-3", "put")]
    [InlineData("--clients", "0", "put")]
    [InlineData("--total", "0", "put")]
    [InlineData("--total", "abc", "put")]
    [InlineData("--rate", "-1", "put")]
    [InlineData("--key-size", "0", "put")]
    [InlineData("--val-size", "-1", "put")]
    [InlineData("--key-space-size", "0", "put")]
    [InlineData("--txn-ops", "0", "txn-put")]
    [InlineData("--consistency", "x", "range", "'l'")]
    [InlineData("--limit", "-1", "range")]
    [InlineData("-w", "yaml", "put", "simple")]
    [InlineData("--transport", "grpc-go", "put", "cairn-client")]
    [InlineData("--dial-timeout", "soon", "put")]
    [InlineData("--dial-timeout", "-2s", "put")]
    [InlineData("--streams", "0", "watch")]
    [InlineData("--watch-per-stream", "0", "watch")]
    [InlineData("--val-size", "4", "watch")]
    [InlineData("--event-timeout", "0s", "watch")]
    public async Task A_bad_flag_value_is_a_usage_error_that_names_the_flag(string flag, string value, string workload, string? expected = null)
    {
        string[] args = workload == "range" ? [workload, "key", flag, value, "--endpoints", Nowhere] : [workload, flag, value, "--endpoints", Nowhere];
        BenchInvocation.Result result = await BenchInvocation.RunAsync(args);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        // Choice flags get the parser's own message, which lists the accepted values instead of the flag's name.
        Assert.Contains(expected ?? flag, result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Theory]
    [InlineData("https://127.0.0.1:2379", "cleartext")]
    [InlineData("127.0.0.1", "host:port")]
    [InlineData("127.0.0.1:99999", "host:port")]
    [InlineData("", "no endpoints")]
    public async Task A_bad_endpoint_is_a_usage_error(string endpoints, string expected)
    {
        BenchInvocation.Result result = await BenchInvocation.RunAsync("put", "--endpoints", endpoints);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_that_do_not_fit_the_key_size_are_a_usage_error()
    {
        // 1,000,000 keys need 3 bytes of varint; 2 bytes cannot hold them all distinct.
        BenchInvocation.Result result = await BenchInvocation.RunAsync("put", "--key-size", "2", "--key-space-size", "1000000", "--endpoints", Nowhere);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--key-size 2 is too small", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_start_without_sequential_keys_is_a_usage_error()
    {
        BenchInvocation.Result result = await BenchInvocation.RunAsync("put", "--key-start", "10", "--endpoints", Nowhere);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--key-start needs --sequential-keys", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Range_without_a_key_is_a_usage_error()
    {
        BenchInvocation.Result result = await BenchInvocation.RunAsync("range", "--endpoints", Nowhere);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Fact]
    public async Task An_unknown_workload_is_a_usage_error()
    {
        BenchInvocation.Result result = await BenchInvocation.RunAsync("stm", "--endpoints", Nowhere);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Fact]
    public async Task Good_flags_against_a_dead_endpoint_fail_with_exit_1_not_a_usage_error()
    {
        BenchInvocation.Result result = await BenchInvocation.RunAsync("put", "--total", "5", "--dial-timeout", "2s", "--endpoints", Nowhere);
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("cairn bench", result.Error, StringComparison.Ordinal);
    }
}
