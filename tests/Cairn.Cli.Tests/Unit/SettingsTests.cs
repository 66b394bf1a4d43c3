using Cairn.Cli.Settings;
using Cairn.Cli.Tests.Support;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Tests.Unit;

public class SettingsTests
{
    private static readonly EtcdScript Script = new EtcdScript().Answer("KV/Range", new RangeResponse { Header = new ResponseHeader { Revision = 1 } });

    [Fact]
    public void Global_flags_before_the_verb_move_after_it()
    {
        Assert.Equal(["get", "--endpoints", "a:1", "-w", "json", "--hex", "k"],
            GlobalFlagOrder.MoveAfterVerb(["--endpoints", "a:1", "-w", "json", "--hex", "get", "k"]));
        Assert.Equal(["lease", "--endpoints=a:1", "grant", "10"], GlobalFlagOrder.MoveAfterVerb(["--endpoints=a:1", "lease", "grant", "10"]));
        Assert.Equal(["--endpoints", "a:1"], GlobalFlagOrder.MoveAfterVerb(["--endpoints", "a:1"]));
    }

    [Fact]
    public void Environment_variables_apply_and_flags_win_over_them()
    {
        var sessions = ScriptedSession.For(Script);
        var environment = new Dictionary<string, string> { ["ETCDCTL_ENDPOINTS"] = "env-a:1,env-b:2", ["ETCDCTL_WRITE_OUT"] = "json" };
        var fromEnvironment = CliRun.Run(sessions, ["get", "k"], environment: environment);
        Assert.Equal(0, fromEnvironment.ExitCode);
        Assert.StartsWith("{\"header\"", fromEnvironment.Text);
        Assert.Equal(["env-a:1", "env-b:2"], sessions.Connections[^1]);
        var fromFlags = CliRun.Run(sessions, ["get", "k", "--endpoints", "flag:1", "--endpoints", "flag:2", "-w", "simple"], environment: environment);
        Assert.Equal("", fromFlags.Text);
        Assert.Equal(["flag:1", "flag:2"], sessions.Connections[^1]);
    }

    [Theory]
    [InlineData("--dial-timeout", "5")]
    [InlineData("--command-timeout", "soon")]
    [InlineData("-w", "yaml")]
    public void Bad_global_flag_values_fail_before_connecting(string flag, string value)
    {
        var sessions = ScriptedSession.For(Script);
        var result = CliRun.Run(sessions, ["get", "k", flag, value]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("Error: ", result.Stderr);
        Assert.Empty(sessions.Connections);
    }

    [Fact]
    public void A_bad_boolean_environment_variable_is_a_usage_error()
    {
        var result = CliRun.Run(ScriptedSession.For(Script), ["get", "k"], environment: new Dictionary<string, string> { ["ETCDCTL_HEX"] = "maybe" });
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("ETCDCTL_HEX", result.Stderr);
    }

    [Theory]
    [InlineData("get", "--bogus", "k")]
    [InlineData("lease", "grant", "-5")]
    [InlineData("frobnicate")]
    public void Unknown_flags_and_verbs_are_usage_errors(params string[] args)
    {
        var result = CliRun.Run(ScriptedSession.For(Script), args);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("Error: ", result.Stderr);
    }

    [Fact]
    public void User_with_password_is_split_and_password_flag_wins()
    {
        var sessions = new RecordingFactory();
        CliRun.Run(sessions, ["get", "k", "--user", "root:secret:with:colons"]);
        Assert.Equal(("root", "secret:with:colons"), (sessions.Settings!.User, sessions.Settings.Password));
        CliRun.Run(sessions, ["get", "k", "--user", "root:ignored", "--password", "pw"]);
        Assert.Equal(("root:ignored", "pw"), (sessions.Settings!.User, sessions.Settings.Password));
    }

    private sealed class RecordingFactory : Cairn.Cli.Session.IEtcdSessionFactory
    {
        public ClientSettings? Settings { get; private set; }

        public Task<Cairn.Cli.Session.IEtcdSession> ConnectAsync(ClientSettings settings, IReadOnlyList<string> endpoints, CancellationToken cancellation)
        {
            Settings = settings;
            return Task.FromResult<Cairn.Cli.Session.IEtcdSession>(new ScriptedSession(Script));
        }
    }
}
