using System.Text.Json;
using Cairn.Server.Tests;

namespace Cairn.EndToEnd.Tests;

/// <summary>`cairn serve` as systemd runs it: the native binary, sd_notify, /version, SIGTERM.</summary>
public class ServeTests
{
    private const int SigTerm = 15;

    private static string TempDataDir() => Path.Combine(Path.GetTempPath(), $"cairn-e2e-{Guid.NewGuid():N}", "data");

    [Fact]
    public async Task Serves_version_notifies_systemd_pets_the_watchdog_and_stops_cleanly_on_sigterm()
    {
        using var notify = NotifySocket.InFileSystem();
        int port = ServerProcess.FreePort();
        string dataDir = TempDataDir();
        var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Address, ["WATCHDOG_USEC"] = "400000" };
        using var server = ServerProcess.Start(environment, "--listen-client-urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir);

        string ready = await notify.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(30));
        string watchdog = await notify.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(30));
        using var client = new HttpClient();
        using HttpResponseMessage version = await client.GetAsync($"http://127.0.0.1:{port}/version");
        server.Signal(SigTerm);
        string stopping = await notify.ReceiveUntilAsync("STOPPING=1", TimeSpan.FromSeconds(30));
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal($"READY=1\nSTATUS=serving clients on http://127.0.0.1:{port}", ready);
        Assert.Equal("WATCHDOG=1", watchdog);
        Assert.Equal("application/json", version.Content.Headers.ContentType?.ToString());
        Assert.Equal("{\"etcdserver\":\"3.4.35\",\"etcdcluster\":\"3.4.0\"}", await version.Content.ReadAsStringAsync());
        Assert.StartsWith("STOPPING=1", stopping);
        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {server.Stderr}");
        Assert.True(Directory.Exists(dataDir));
        string[] lines = server.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] messages = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("msg").GetString()!).ToArray();
        Assert.Contains("shutting down on SIGTERM", messages);
        Assert.StartsWith("stopped", messages[^1]);
    }

    [Fact]
    public async Task Text_logs_with_the_flag()
    {
        using var notify = NotifySocket.InFileSystem();
        int port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Address },
            "--listen-client-urls", $"http://127.0.0.1:{port}", "--data-dir", TempDataDir(), "--log-format", "text");

        await notify.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(30));
        server.Signal(SigTerm);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT[\d:.]+Z info  Cairn\.Server: serving clients on http://127\.0\.0\.1:\d+", server.Stdout);
        Assert.DoesNotContain("{\"ts\"", server.Stdout);
    }

    [Fact]
    public async Task A_port_in_use_fails_with_exit_code_1_and_says_why()
    {
        using var occupier = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupier.Start();
        int port = ((System.Net.IPEndPoint)occupier.LocalEndpoint).Port;
        using var server = ServerProcess.Start(new Dictionary<string, string>(), "--listen-client-urls", $"http://127.0.0.1:{port}", "--data-dir", TempDataDir());

        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains($"127.0.0.1:{port}: address already in use", server.Stderr);
    }

    [Fact]
    public async Task An_unsupported_etcd_flag_stops_the_server_before_it_starts()
    {
        using var server = ServerProcess.Start(new Dictionary<string, string>(), "--enable-v2=true", "--data-dir", TempDataDir());

        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("--enable-v2 is an etcd flag that Cairn does not support", server.Stderr);
        Assert.Equal("", server.Stdout);
    }
}
