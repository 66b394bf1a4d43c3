using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>One <c>cairn serve</c> process of a test cluster; <see cref="Restart"/> starts a new process on the same data.</summary>
public sealed class ClusterMember : ServerProcess
{
    private ClusterMember(MemberSpec spec, string initialCluster, string token, string state, IReadOnlyList<string> extraArguments)
        : base(RepositoryPaths.CairnBinary, [.. Arguments(spec, initialCluster, token, state), .. extraArguments], null)
    {
        Spec = spec;
        InitialCluster = initialCluster;
        Token = token;
        State = state;
        ExtraArguments = extraArguments;
    }

    /// <summary>Name, ports and data directory.</summary>
    public MemberSpec Spec { get; }

    /// <summary>The --initial-cluster value all members share.</summary>
    public string InitialCluster { get; }

    /// <summary>The --initial-cluster-token value.</summary>
    public string Token { get; }

    /// <summary>The --initial-cluster-state value: "new", or "existing" for a member added at runtime.</summary>
    public string State { get; }

    /// <summary>More flags after the cluster flags (e.g. --snapshot-count).</summary>
    public IReadOnlyList<string> ExtraArguments { get; }

    /// <summary>host:port of the client URL, as etcdctl takes it.</summary>
    public string Endpoint => $"127.0.0.1:{Spec.ClientPort}";

    /// <summary>Starts a member process (it does not wait for it to serve).</summary>
    public static ClusterMember Start(MemberSpec spec, string initialCluster, string token, string state = "new",
        IReadOnlyList<string>? extraArguments = null) => new(spec, initialCluster, token, state, extraArguments ?? []);

    /// <summary>A new process with the same arguments and data directory (after this one was killed).</summary>
    public ClusterMember Restart() => new(Spec, InitialCluster, Token, State, ExtraArguments);

    /// <summary>Waits until /health answers 200 (the member knows a leader and serves).</summary>
    public Task WaitHealthyAsync(TimeSpan timeout)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        return WaitUntilAsync(async () => (await http.GetAsync($"http://{Endpoint}/health")).IsSuccessStatusCode, timeout, "healthy");
    }

    private static IEnumerable<string> Arguments(MemberSpec spec, string initialCluster, string token, string state)
    {
        string client = $"http://127.0.0.1:{spec.ClientPort}";
        return
        [
            "serve", "--name", spec.Name, "--data-dir", spec.DataDirectory,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", spec.PeerUrl, "--initial-advertise-peer-urls", spec.PeerUrl,
            "--initial-cluster", initialCluster, "--initial-cluster-state", state, "--initial-cluster-token", token,
        ];
    }
}

/// <summary>What identifies a member of a test cluster.</summary>
public sealed record MemberSpec(string Name, int ClientPort, int PeerPort, string DataDirectory)
{
    /// <summary>The peer URL on loopback.</summary>
    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";
}
