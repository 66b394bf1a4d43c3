using System.Text;
using System.Text.Json;
using Cairn.Configuration;
using Cairn.Server.Hosting;

namespace Cairn.Server.Tests;

/// <summary>The server's life in-process: READY once serving, STOPPING and a clean exit on the stop request.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ServeRunnerTests
{
    private static ConfigLoadResult Config(string dataDir, params (string Flag, string Value)[] extraFlags) => ConfigLoader.Load(new ConfigSources
    {
        Flags = [new("--listen-client-urls", "http://127.0.0.1:0"), new("--data-dir", dataDir), .. extraFlags.Select(f => new FlagValue(f.Flag, f.Value))],
    });

    [Fact]
    public async Task Notifies_ready_when_serving_and_stopping_on_the_stop_request()
    {
        using var socket = NotifySocket.InFileSystem();
        using var notifier = new SystemdNotifier(socket.Address);
        string dataDir = Path.Combine(Path.GetTempPath(), $"cairn-serve-{Guid.NewGuid():N}", "data");
        using var stop = new CancellationTokenSource();
        var logs = new MemoryStream();

        Task<int> run = ServeRunner.RunAsync(Config(dataDir), notifier, stop.Token, () => "test", TextWriter.Null, logs);
        Assert.Equal("STATUS=starting", await socket.ReceiveAsync());
        var progress = new List<string>();
        string ready;
        while (!(ready = await socket.ReceiveAsync()).StartsWith("READY=1", StringComparison.Ordinal))
        {
            progress.Add(ready);
        }

        Assert.Contains(progress, p => p.StartsWith("STATUS=recovering: ", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.StartsWith("STATUS=serving: leader ", StringComparison.Ordinal));
        string url = ready[(ready.IndexOf("http://", StringComparison.Ordinal))..];
        using var client = new HttpClient();
        string version = await client.GetStringAsync($"{url}/version");
        stop.Cancel();
        string stopping = await socket.ReceiveAsync();
        int exitCode = await run;

        Assert.StartsWith("READY=1\nSTATUS=serving clients on http://127.0.0.1:", ready);
        Assert.Contains("etcdserver", version);
        Assert.Equal("STOPPING=1\nSTATUS=shutting down", stopping);
        Assert.Equal(0, exitCode);
        Assert.True(Directory.Exists(dataDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
        string[] messages = Encoding.UTF8.GetString(logs.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("msg").GetString()!).ToArray();
        Assert.Contains(messages, m => m.StartsWith("serving clients on http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains("shutting down on test", messages);
        Assert.StartsWith("stopped", messages[^1]);
    }

    [Fact]
    public async Task A_data_dir_that_cannot_be_created_fails_with_exit_code_1()
    {
        string blocker = Path.Combine(Path.GetTempPath(), $"cairn-file-{Guid.NewGuid():N}");
        File.WriteAllText(blocker, "a file where the data directory's parent should be");
        var error = new StringWriter();

        int exitCode = await ServeRunner.RunAsync(Config(Path.Combine(blocker, "data")), new SystemdNotifier(null), CancellationToken.None, () => "", error, new MemoryStream());

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"cairn serve: cannot create the data directory {Path.Combine(blocker, "data")}", error.ToString());
    }

    [Fact]
    public async Task Configuration_warnings_are_logged_at_start()
    {
        var logs = new MemoryStream();
        using var stop = new CancellationTokenSource();
        string dataDir = Path.Combine(Path.GetTempPath(), $"cairn-serve-{Guid.NewGuid():N}");
        using var socket = NotifySocket.InFileSystem();

        Task<int> run = ServeRunner.RunAsync(Config(dataDir, ("--enable-pprof", "true")), new SystemdNotifier(socket.Address), stop.Token, () => "test", TextWriter.Null, logs);
        await socket.ReceiveUntilAsync("READY=1");
        stop.Cancel();
        Assert.Equal(0, await run);

        Assert.Contains("\"level\":\"warn\"", Encoding.UTF8.GetString(logs.ToArray()));
        Assert.Contains("--enable-pprof=true is accepted for etcd compatibility but ignored", Encoding.UTF8.GetString(logs.ToArray()));
    }
}
