using System.CommandLine;
using Cairn.Configuration.CommandLine;

namespace Cairn.Configuration.Tests;

/// <summary>cairn config init | show | validate, driven through the command-line parser.</summary>
public class ConfigCommandTests
{
    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var root = new RootCommand { ConfigCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        ParseResult parsed = root.Parse(args);
        Assert.True(parsed.Errors.Count == 0, string.Join("\n", parsed.Errors.Select(e => e.Message)));
        int exitCode = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string NewPath() => Path.Combine(Path.GetTempPath(), "cairn-config-tests", $"{Guid.NewGuid():N}.toml");

    [Fact]
    public void Init_writes_the_default_file_and_refuses_to_overwrite_it()
    {
        string path = NewPath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        var first = Run("config", "init", path);
        File.AppendAllText(path, "# edited\n");
        var second = Run("config", "init", path);
        string afterRefusal = File.ReadAllText(path);
        var forced = Run("config", "init", path, "--force");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"wrote {path}", first.Stdout);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already exists; use --force", second.Stderr);
        Assert.EndsWith("# edited\n", afterRefusal);
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(DefaultConfigFile.Text, File.ReadAllText(path));
    }

    [Fact]
    public void Init_to_stdout_prints_the_default_file()
    {
        var (exitCode, stdout, _) = Run("config", "init", "-");

        Assert.Equal(0, exitCode);
        Assert.Equal(DefaultConfigFile.Text, stdout);
    }

    [Fact]
    public void Validate_says_ok_for_the_shipped_default_config()
    {
        var (exitCode, stdout, stderr) = Run("config", "validate", TestFiles.Config("cairn.toml"));

        Assert.Equal(0, exitCode);
        Assert.Equal("ok", stdout.Trim());
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Validate_lists_every_error_with_file_line_and_key_and_fails()
    {
        string path = TestFiles.WriteToml("[client]\nlisten_urls = [\"http://[::1\"]\n[storage]\nquota = 1\n");

        var (exitCode, stdout, stderr) = Run("config", "validate", path);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains($"error: {path}:2: client.listen_urls: ", stderr);
        Assert.Contains($"error: {path}:4: storage.quota: unknown key", stderr);
        Assert.Contains("the configuration is invalid (2 errors)", stderr);
    }

    [Fact]
    public void Show_prints_values_with_their_origins_and_round_trips()
    {
        string path = TestFiles.WriteToml("name = \"n1\"\n[storage]\nquota_backend_bytes = \"4GiB\"\n");

        var (exitCode, stdout, stderr) = Run("config", "show", "--config", path, "--log-level=debug", "-snapshot-count", "5000", "--set", "backup.schedule=1h");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains($"name = \"n1\"  # {path}:1", stdout);
        Assert.Contains($"quota_backend_bytes = 4294967296  # {path}:3; 4 GiB", stdout);
        Assert.Contains("level = \"debug\"  # flag --log-level", stdout);
        Assert.Contains("snapshot_count = 5000  # flag --snapshot-count", stdout);
        Assert.Contains("schedule = \"1h\"  # flag --set", stdout);
        Assert.Contains("max_txn_ops = 128  # default", stdout);
        ConfigLoadResult reloaded = ConfigLoader.LoadText(stdout, "show-output");
        CairnConfig shown = ConfigLoader.Load(new ConfigSources
        {
            ConfigFile = path,
            Flags = [new("--log-level", "debug"), new("--snapshot-count", "5000"), new("--set", "backup.schedule=1h")],
        }).GetConfigOrThrow();
        Assert.True(reloaded.Succeeded, string.Join("\n", reloaded.Errors));
        foreach (string key in ConfigLoader.Keys)
        {
            Assert.Equal(ConfigLoader.FormatValue(shown, key), ConfigLoader.FormatValue(reloaded.Config!, key));
        }
        Assert.Equal(5000, reloaded.Config!.Storage.SnapshotCount);
    }

    [Fact]
    public void Show_fails_on_an_unsupported_etcd_flag()
    {
        var (exitCode, stdout, stderr) = Run("config", "show", "--enable-v2=true");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("error: flag --enable-v2: --enable-v2 is an etcd flag that Cairn does not support", stderr);
    }

    [Fact]
    public void Go_style_flag_spellings_parse()
    {
        var (exitCode, stdout, stderr) = Run("config", "show", "-name=a", "--data-dir", "/d", "-client-cert-auth", "-trusted-ca-file=/ca", "--listen-client-urls=http://0.0.0.0:2379");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("name = \"a\"  # flag --name", stdout);
        Assert.Contains("data_dir = \"/d\"  # flag --data-dir", stdout);
        Assert.Contains("client_cert_auth = true  # flag --client-cert-auth", stdout);
        Assert.Contains("listen_urls = [\"http://0.0.0.0:2379\"]  # flag --listen-client-urls", stdout);
    }

    [Fact]
    public void Unknown_flag_is_a_parse_error()
    {
        var root = new RootCommand { ConfigCommand.Create() };

        ParseResult parsed = root.Parse(["config", "show", "--no-such-flag=1"]);

        Assert.NotEmpty(parsed.Errors);
    }
}
