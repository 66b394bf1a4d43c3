namespace Cairn.Configuration.Tests;

/// <summary>Bad values from variables and flags name the variable or flag and the key.</summary>
public class EnvironmentAndFlagErrorTests
{
    [Fact]
    public void Bad_environment_value_names_the_variable_and_key()
    {
        string error = Load.SingleError(environment: new() { ["CAIRN_STORAGE_SNAPSHOT_COUNT"] = "lots" });

        Assert.Equal("env CAIRN_STORAGE_SNAPSHOT_COUNT: storage.snapshot_count: expected an integer, got \"lots\"", error);
    }

    [Fact]
    public void Bad_flag_value_names_the_flag_and_key()
    {
        string error = Load.SingleError(flags: ("--listen-client-urls", "http://127.0.0.1:2379,localhost"));

        Assert.StartsWith("flag --listen-client-urls: client.listen_urls: \"localhost\" is not a URL", error);
    }

    [Fact]
    public void Unknown_cairn_variable_is_a_warning_with_a_suggestion()
    {
        ConfigLoadResult result = Load.From(environment: new() { ["CAIRN_LOG_LEVL"] = "debug" });

        Assert.True(result.Succeeded);
        Assert.Equal("env CAIRN_LOG_LEVL: not a Cairn setting; ignored (did you mean CAIRN_LOG_LEVEL?)", Assert.Single(result.Warnings).ToString());
    }

    [Fact]
    public void Two_flags_for_one_key_are_an_error()
    {
        string error = Load.SingleError(flags: [("--log-level", "info"), ("--debug", null)]);

        Assert.Equal("flag --debug: log.level: also set by --log-level; give only one of them", error);
    }

    [Fact]
    public void Set_with_an_unknown_key_suggests_one()
    {
        string error = Load.SingleError(flags: ("--set", "storage.snapshotcount=5"));

        Assert.Equal("flag --set: storage.snapshotcount: unknown key (did you mean storage.snapshot_count?)", error);
    }

    [Fact]
    public void Value_flag_without_a_value_is_an_error()
    {
        string error = Load.SingleError(flags: ("--name", null));

        Assert.Equal("flag --name: needs a value (--name=VALUE)", error);
    }

    [Fact]
    public void Destinations_cannot_come_from_variables()
    {
        string error = Load.SingleError(environment: new() { ["CAIRN_BACKUP_DESTINATIONS"] = "/var/backups" });

        Assert.Equal("env CAIRN_BACKUP_DESTINATIONS: backup.destinations: can only be set in the configuration file", error);
    }

    [Fact]
    public void Boolean_text_takes_go_spellings()
    {
        CairnConfig config = Load.Valid(environment: new() { ["CAIRN_CLIENT_TLS_CLIENT_CERT_AUTH"] = "1", ["CAIRN_CLIENT_TLS_TRUSTED_CA_FILE"] = "/ca.pem" });

        Assert.True(config.Client.Tls.ClientCertAuth);
        Assert.Contains("expected true or false, got \"yes\"", Load.SingleError(flags: ("--client-cert-auth", "yes")));
    }
}
