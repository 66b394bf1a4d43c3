using System.Diagnostics;
using Cairn.Protocol.Tests.Tools;

namespace Cairn.Protocol.Tests.Interop;

/// <summary>A real etcd 3.4 (Debian's /usr/bin/etcd) on free loopback ports with a throw-away data directory.</summary>
public sealed class RealEtcd : IAsyncLifetime
{
    private Process? _process;
    private string _dataDir = "";

    /// <summary>Extra command-line flags for etcd.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public int ClientPort { get; private set; }

    public string Endpoint => $"127.0.0.1:{ClientPort}";

    public string ClientUrl => $"http://{Endpoint}";

    public async Task InitializeAsync()
    {
        _dataDir = Directory.CreateTempSubdirectory("cairn-real-etcd-").FullName;
        ClientPort = Cairn.Testing.FreePort.Next();
        int peerPort = Cairn.Testing.FreePort.Next();
        string peerUrl = $"http://127.0.0.1:{peerPort}";
        var start = new ProcessStartInfo("/usr/bin/etcd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])[
            "--name", "t", "--data-dir", _dataDir,
            "--listen-client-urls", ClientUrl, "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", $"t={peerUrl}", .. ExtraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/etcd");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"etcd exited with code {_process.ExitCode} before becoming healthy");
            }

            try
            {
                string health = await http.GetStringAsync(ClientUrl + "/health");
                if (health.Contains("\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("etcd did not become healthy within 10 s");
    }
}

[CollectionDefinition(Name)]
public sealed class RealEtcdCollection : ICollectionFixture<RealEtcd>
{
    public const string Name = "real etcd";
}
