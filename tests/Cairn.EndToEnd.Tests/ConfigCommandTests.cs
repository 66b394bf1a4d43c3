using Cairn.Testing;
namespace Cairn.EndToEnd.Tests;

/// <summary>`cairn config validate` on the native binary.</summary>
public class ConfigCommandTests
{
    [Fact]
    public async Task Validate_reports_a_broken_file_with_file_line_and_key()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cairn-e2e-{Guid.NewGuid():N}.toml");
        await File.WriteAllTextAsync(path, "name = \"n1\"\n\n[storage]\nquota_backend_bytes = \"lots\"\n[client]\nlisten_urls = [\"http://example.com\"]\n");

        var (exitCode, stdout, stderr) = await CairnCli.RunAsync("config", "validate", path);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains($"{path}:4: storage.quota_backend_bytes: expected a size", stderr);
        Assert.Contains($"{path}:6: client.listen_urls: URL \"http://example.com\" has no port", stderr);
    }

    [Fact]
    public async Task Validate_accepts_the_shipped_default_config()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Appliance.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("cannot find the repository root (Appliance.sln)");
        }
        string path = Path.Combine(root.FullName, "configs", "cairn.toml");

        var (exitCode, stdout, stderr) = await CairnCli.RunAsync("config", "validate", path);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal("ok\n", stdout);
    }

    [Fact]
    public async Task Init_writes_the_embedded_default_config()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cairn-e2e-{Guid.NewGuid():N}.toml");

        var (exitCode, _, _) = await CairnCli.RunAsync("config", "init", path);
        var (again, _, refusal) = await CairnCli.RunAsync("config", "init", path);
        var (validateExit, validateOut, _) = await CairnCli.RunAsync("config", "validate", path);

        Assert.Equal(0, exitCode);
        Assert.Contains("quota_backend_bytes = 2147483648", await File.ReadAllTextAsync(path));
        Assert.Equal(1, again);
        Assert.Contains("already exists", refusal);
        Assert.Equal(0, validateExit);
        Assert.Equal("ok\n", validateOut);
    }
}
