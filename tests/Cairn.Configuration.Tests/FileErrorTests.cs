namespace Cairn.Configuration.Tests;

/// <summary>Every error kind in a file names the file, the line and the key.</summary>
public class FileErrorTests
{
    private static (string Path, string Error) FileError(string toml)
    {
        string path = TestFiles.WriteToml(toml);
        ConfigLoadResult result = ConfigLoader.LoadFile(path);
        Assert.False(result.Succeeded, "expected an error");
        return (path, Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Unknown_key_names_file_line_and_key_and_suggests_the_right_one()
    {
        var (path, error) = FileError("name = \"a\"\n\n[storage]\nquota_bytes = 5\n");

        Assert.Equal($"{path}:4: storage.quota_bytes: unknown key (did you mean storage.quota_backend_bytes?)", error);
    }

    [Fact]
    public void Etcd_style_dashed_key_suggests_the_underscore_key()
    {
        var (_, error) = FileError("[storage]\nquota-backend-bytes = 5\n");

        Assert.EndsWith("storage.quota-backend-bytes: unknown key (did you mean storage.quota_backend_bytes?)", error);
    }

    [Fact]
    public void Unknown_section_is_an_unknown_key()
    {
        var (path, error) = FileError("[stroage]\nsnapshot_count = 5\n");

        Assert.StartsWith($"{path}:1: stroage: unknown key", error);
    }

    [Fact]
    public void Wrong_type_says_what_was_expected_and_what_was_found()
    {
        var (path, error) = FileError("[limits]\nmax_txn_ops = \"128\"\n");

        Assert.Equal($"{path}:2: limits.max_txn_ops: expected an integer, got string \"128\"", error);
    }

    [Fact]
    public void Unparsable_size_string_is_an_error()
    {
        var (path, error) = FileError("[storage]\nquota_backend_bytes = \"2 gigs\"\n");

        Assert.StartsWith($"{path}:2: storage.quota_backend_bytes: expected a size", error);
        Assert.Contains("got \"2 gigs\"", error);
    }

    [Fact]
    public void Size_strings_with_units_are_accepted()
    {
        CairnConfig config = ConfigLoader.LoadFile(TestFiles.WriteToml("[storage]\nquota_backend_bytes = \"8GiB\"\nwal_segment_bytes = \"16 MiB\"\n")).GetConfigOrThrow();

        Assert.Equal(8L << 30, config.Storage.QuotaBackendBytes);
        Assert.Equal(16L << 20, config.Storage.WalSegmentBytes);
    }

    [Fact]
    public void Negative_size_is_out_of_range()
    {
        var (path, error) = FileError("[limits]\nmax_request_bytes = -1\n");

        Assert.Equal($"{path}:2: limits.max_request_bytes: -1 bytes is out of range (allowed: 1 bytes to 512 MiB)", error);
    }

    [Fact]
    public void Unparsable_url_is_an_error()
    {
        var (path, error) = FileError("[client]\nlisten_urls = [\"http://127.0.0.1:2379\", \"not a url\"]\n");

        Assert.StartsWith($"{path}:2: client.listen_urls: \"not a url\" is not a URL", error);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:2379", "has scheme ftp")]
    [InlineData("http://127.0.0.1", "has no port")]
    [InlineData("http://example.com:2379", "cannot listen on host name")]
    [InlineData("http://127.0.0.1:2379/v3", "no path")]
    [InlineData("unix:///run/cairn.sock", "unix socket URLs")]
    public void Listen_urls_must_be_ip_and_port(string url, string problem)
    {
        var (_, error) = FileError($"[client]\nlisten_urls = [\"{url}\"]\n");

        Assert.Contains(problem, error);
    }

    [Fact]
    public void Unknown_enum_value_lists_the_choices()
    {
        var (path, error) = FileError("[log]\nlevel = \"verbose\"\n");

        Assert.Equal($"{path}:2: log.level: unknown value \"verbose\" (expected one of \"debug\", \"info\", \"warn\", \"error\")", error);
    }

    [Fact]
    public void A_section_given_as_a_value_is_a_type_error()
    {
        var (path, error) = FileError("storage = 5\n");

        Assert.Equal($"{path}:1: storage: expected a table ([storage]), got integer 5", error);
    }

    [Fact]
    public void Toml_syntax_errors_carry_line_and_column()
    {
        var (path, error) = FileError("name = \"a\"\ndata_dir = /var/lib/cairn\n");

        Assert.StartsWith($"{path}:2: expected a value", error);
        Assert.Contains("(column 12)", error);
    }

    [Fact]
    public void Missing_file_is_an_error_naming_it()
    {
        ConfigLoadResult result = ConfigLoader.LoadFile("/nonexistent/cairn.toml");

        Assert.Equal("/nonexistent/cairn.toml: cannot read the configuration file: no such file", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void All_errors_are_reported_at_once()
    {
        string path = TestFiles.WriteToml("bogus = 1\n[raft]\nheartbeat_interval_ms = \"fast\"\n[log]\nformat = \"xml\"\n");

        ConfigLoadResult result = ConfigLoader.LoadFile(path);

        Assert.Equal([1, 3, 5], result.Errors.Select(e => e.Origin.Line));
    }

    [Fact]
    public void Backup_destinations_are_checked_key_by_key()
    {
        var (path, error) = FileError("[backup]\n[[backup.destinations]]\nurl = \"s3://bucket/prefix\"\n");

        Assert.Equal($"{path}:2: backup.destinations: destination at line 2: an s3:// destination needs credentials_file (a file with the access key id and secret key)", error);
        var (_, unknownKey) = FileError("[[backup.destinations]]\nurl = \"/var/backups\"\nbucket = \"x\"\n");
        Assert.Contains("unknown key bucket (line 3", unknownKey);
    }

    [Fact]
    public void Backup_destinations_parse_local_and_s3()
    {
        string toml = "[backup]\nschedule = \"6h\"\nretention_max_age = \"30d\"\n[[backup.destinations]]\nurl = \"/var/backups/cairn\"\n" +
            "[[backup.destinations]]\nurl = \"s3://b/p\"\nendpoint = \"https://minio:9000\"\ncredentials_file = \"/etc/cairn/s3\"\n";

        BackupConfig backup = ConfigLoader.LoadFile(TestFiles.WriteToml(toml)).GetConfigOrThrow().Backup;

        Assert.Equal(TimeSpan.FromHours(6), backup.Schedule);
        Assert.Equal(TimeSpan.FromDays(30), backup.RetentionMaxAge);
        Assert.True(backup.Destinations[0].IsLocal);
        Assert.Equal("/var/backups/cairn", backup.Destinations[0].Url.LocalPath);
        Assert.True(backup.Destinations[1].IsS3);
        Assert.Equal("https://minio:9000", backup.Destinations[1].Endpoint);
    }
}
