namespace Cairn.Testing;

/// <summary>
/// The native-AOT cairn binary running <c>cairn serve</c> as a single node on free loopback ports. The data
/// directory can be handed in, so a test can kill a server and start a new one on the same data.
/// </summary>
public sealed class CairnServer : ServerProcess
{
    private readonly TempDirectory? ownedDataDirectory;

    private CairnServer(string dataDirectory, TempDirectory? owned, int clientPort, IEnumerable<string> extraArguments,
        IReadOnlyDictionary<string, string>? environment)
        : base(RepositoryPaths.CairnBinary, Arguments(dataDirectory, clientPort, extraArguments), environment)
    {
        ownedDataDirectory = owned;
        DataDirectory = dataDirectory;
        ClientPort = clientPort;
        ClientUrl = $"http://127.0.0.1:{clientPort}";
    }

    /// <summary>The data directory the server runs on.</summary>
    public string DataDirectory { get; }

    /// <summary>The client port on 127.0.0.1.</summary>
    public int ClientPort { get; }

    /// <summary>The client URL, e.g. http://127.0.0.1:40123.</summary>
    public string ClientUrl { get; }

    /// <summary>The client endpoint as etcdctl takes it (host:port).</summary>
    public string Endpoint => ClientUrl["http://".Length..];

    /// <summary>
    /// Starts cairn and waits until <c>/health</c> answers 200. With no <paramref name="dataDirectory"/> the server
    /// gets a temp directory that is deleted when it is disposed.
    /// </summary>
    public static async Task<CairnServer> StartAsync(
        string? dataDirectory = null,
        IEnumerable<string>? extraArguments = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        TempDirectory? owned = dataDirectory is null ? new TempDirectory("cairn-data") : null;
        var server = new CairnServer(dataDirectory ?? owned!.Path, owned, FreePort.Next(), extraArguments ?? [], environment);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await server.WaitUntilAsync(
            async () => (await http.GetAsync($"{server.ClientUrl}/health")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "healthy");
        return server;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        ownedDataDirectory?.Dispose();
    }

    private static IEnumerable<string> Arguments(string dataDirectory, int clientPort, IEnumerable<string> extra)
    {
        string client = $"http://127.0.0.1:{clientPort}";
        return new[]
        {
            "serve", "--name", "cairn-test", "--data-dir", dataDirectory,
            "--listen-client-urls", client, "--advertise-client-urls", client,
        }.Concat(extra);
    }
}
