namespace Cairn.Configuration.Tests;

/// <summary>flags > CAIRN_* > ETCD_* > file > defaults, and every value remembers its origin.</summary>
public class PrecedenceTests
{
    private const string File = "[log]\nlevel = \"warn\"\nformat = \"text\"\n[limits]\nmax_txn_ops = 200\nmax_request_bytes = \"2MiB\"\n";

    [Fact]
    public void File_overrides_defaults_and_records_the_line()
    {
        ConfigLoadResult result = Load.From(File);

        Assert.Equal(LogSeverity.Warn, result.Config!.Log.Level);
        Assert.Equal(2 * 1024 * 1024, result.Config.Limits.MaxRequestBytes);
        Assert.Equal(ConfigOriginKind.File, result.Origins["log.level"].Kind);
        Assert.Equal(2, result.Origins["log.level"].Line);
        Assert.Equal(6, result.Origins["limits.max_request_bytes"].Line);
        Assert.Equal(ConfigOrigin.Default, result.Origins["name"]);
    }

    [Fact]
    public void Environment_overrides_the_file_and_flags_override_the_environment()
    {
        var environment = new Dictionary<string, string> { ["CAIRN_LOG_LEVEL"] = "error", ["CAIRN_LIMITS_MAX_TXN_OPS"] = "300" };

        ConfigLoadResult result = Load.From(File, environment, ("--max-txn-ops", "400"));

        Assert.Equal(LogSeverity.Error, result.Config!.Log.Level);
        Assert.Equal("env CAIRN_LOG_LEVEL", result.Origins["log.level"].ToString());
        Assert.Equal(400, result.Config.Limits.MaxTxnOps);
        Assert.Equal("flag --max-txn-ops", result.Origins["limits.max_txn_ops"].ToString());
        Assert.Equal(LogFormat.Text, result.Config.Log.Format);
    }

    [Fact]
    public void Cairn_variables_win_over_etcd_variables_with_a_warning()
    {
        var environment = new Dictionary<string, string> { ["ETCD_NAME"] = "from-etcd", ["CAIRN_NAME"] = "from-cairn", ["ETCD_DATA_DIR"] = "/var/lib/etcd" };

        ConfigLoadResult result = Load.From(environment: environment);

        Assert.Equal("from-cairn", result.Config!.Name);
        Assert.Equal("/var/lib/etcd", result.Config.DataDir);
        Assert.Equal("env ETCD_DATA_DIR", result.Origins["data_dir"].ToString());
        Assert.Contains(result.Warnings, w => w.ToString() == "env ETCD_NAME: name: overridden by CAIRN_NAME");
    }

    [Fact]
    public void Etcd_variables_override_the_file()
    {
        ConfigLoadResult result = Load.From("[storage]\nsnapshot_count = 5\n", new Dictionary<string, string> { ["ETCD_SNAPSHOT_COUNT"] = "10000" });

        Assert.Equal(10_000, result.Config!.Storage.SnapshotCount);
    }

    [Fact]
    public void Cairn_config_variable_names_the_file_unless_a_flag_does()
    {
        string path = TestFiles.WriteToml("name = \"from-variable-file\"\n");
        var environment = new Dictionary<string, string> { ["CAIRN_CONFIG"] = path };

        ConfigLoadResult fromVariable = ConfigLoader.Load(new ConfigSources { Environment = environment });
        ConfigLoadResult fromFlag = ConfigLoader.Load(new ConfigSources { Environment = environment, ConfigFile = TestFiles.WriteToml("name = \"from-flag-file\"\n") });

        Assert.Equal("from-variable-file", fromVariable.Config!.Name);
        Assert.Equal(path, fromVariable.ConfigFile);
        Assert.Equal("from-flag-file", fromFlag.Config!.Name);
    }

    [Fact]
    public void A_repeated_flag_keeps_its_last_value()
    {
        CairnConfig config = Load.Valid(flags: [("--name", "first"), ("--name", "second")]);

        Assert.Equal("second", config.Name);
    }

    [Fact]
    public void Set_flag_reaches_keys_without_their_own_flag()
    {
        ConfigLoadResult result = Load.From(flags: [("--set", "backup.retention_count=3"), ("--set", "auth.jwt_sign_method=ES256")]);

        Assert.Equal(3, result.Config!.Backup.RetentionCount);
        Assert.Equal("ES256", result.Config.Auth.JwtSignMethod);
        Assert.Equal("flag --set", result.Origins["backup.retention_count"].ToString());
    }

    [Fact]
    public void Tooling_variables_are_not_mistaken_for_settings()
    {
        var environment = new Dictionary<string, string> { ["CAIRN_BIN"] = "/x/cairn", ["CAIRN_TOML_TEST_DIR"] = "/x", ["PATH"] = "/bin" };

        ConfigLoadResult result = Load.From(environment: environment);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Warnings);
    }
}
