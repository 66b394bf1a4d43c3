using Cairn.Testing;

namespace Cairn.EndToEnd.Tests;

public class CommandLineTests
{
    [Fact]
    public async Task Version_reports_native_aot_build_and_etcd_api()
    {
        var (exitCode, stdout, _) = await CairnCli.RunAsync("version");

        Assert.Equal(0, exitCode);
        Assert.Contains("cairn version: ", stdout);
        Assert.Contains("etcd API version: 3.4", stdout);
        Assert.Contains("(native AOT)", stdout);
    }

    [Fact]
    public async Task Unknown_verb_is_a_usage_error_with_exit_code_2()
    {
        var (exitCode, _, stderr) = await CairnCli.RunAsync("frobnicate");

        Assert.Equal(2, exitCode);
        Assert.Contains("frobnicate", stderr);
    }
}
