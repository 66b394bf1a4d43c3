namespace Cairn.Testing;

/// <summary>
/// A multi-member cluster of local processes for fault tests. "How to start member i" is a parameter
/// (<see cref="MemberCommands.Etcd"/>, <see cref="MemberCommands.Cairn"/>), and so is where members live
/// (<see cref="LoopbackNetwork"/> or a network-namespace lab). Members can be killed, paused, resumed and
/// restarted by PID; disposing stops every process and deletes the data directories.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly Func<ClusterMemberSpec, MemberCommand> commandOf;
    private readonly IMemberNetwork network;
    private readonly TempDirectory dataRoot = new("cluster");
    private readonly ClusterMemberProcess?[] processes;

    private LocalCluster(int memberCount, Func<ClusterMemberSpec, MemberCommand> commandOf, IMemberNetwork network)
    {
        this.commandOf = commandOf;
        this.network = network;
        processes = new ClusterMemberProcess?[memberCount];
        string token = $"cairn-test-{Guid.NewGuid():N}";
        string initialCluster = string.Join(',', Enumerable.Range(0, memberCount).Select(i => $"m{i}={network.PeerUrlOf(i)}"));
        Members = Enumerable.Range(0, memberCount)
            .Select(i => new ClusterMemberSpec(i, $"m{i}", network.ClientUrlOf(i), network.PeerUrlOf(i), dataRoot.Combine($"m{i}"), initialCluster, token))
            .ToArray();
    }

    /// <summary>The members' specs (addresses, names, data directories).</summary>
    public IReadOnlyList<ClusterMemberSpec> Members { get; }

    /// <summary>Every member's client endpoint (host:port).</summary>
    public IReadOnlyList<string> Endpoints => Members.Select(member => member.Endpoint).ToArray();

    /// <summary>Starts <paramref name="memberCount"/> members and waits until every one reports healthy.</summary>
    public static async Task<LocalCluster> StartAsync(int memberCount, Func<ClusterMemberSpec, MemberCommand> commandOf, IMemberNetwork network, TimeSpan? timeout = null)
    {
        var cluster = new LocalCluster(memberCount, commandOf, network);
        try
        {
            for (int i = 0; i < memberCount; i++)
            {
                cluster.Launch(i);
            }

            for (int i = 0; i < memberCount; i++)
            {
                await cluster.WaitHealthyAsync(i, timeout ?? TimeSpan.FromSeconds(60));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The running process of member <paramref name="index"/>, or null while it is down.</summary>
    public ClusterMemberProcess? Process(int index) => processes[index];

    /// <summary>SIGKILL member <paramref name="index"/> and wait until it is gone (its data stays for a restart).</summary>
    public async Task KillAsync(int index)
    {
        ClusterMemberProcess process = processes[index] ?? throw new InvalidOperationException($"member {index} is not running");
        process.Signal(Signals.Kill);
        if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"member {index} (pid {process.Pid}) did not exit after SIGKILL");
        }

        await process.DisposeAsync();
        processes[index] = null;
    }

    /// <summary>SIGSTOP member <paramref name="index"/>: it keeps its sockets but stops answering.</summary>
    public void Pause(int index) => Require(index).Signal(Signals.Stop);

    /// <summary>SIGCONT member <paramref name="index"/>.</summary>
    public void Resume(int index) => Require(index).Signal(Signals.Continue);

    /// <summary>Starts a killed member again on its data directory and waits until it is healthy.</summary>
    public async Task RestartAsync(int index, TimeSpan? timeout = null)
    {
        if (processes[index] is not null)
        {
            throw new InvalidOperationException($"member {index} is still running; kill it first");
        }

        Launch(index);
        await WaitHealthyAsync(index, timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts a killed member again on its data directory without waiting for /health (for a member that is
    /// expected to report unhealthy, e.g. under a CORRUPT alarm).</summary>
    public void Relaunch(int index)
    {
        if (processes[index] is not null)
        {
            throw new InvalidOperationException($"member {index} is still running; kill it first");
        }

        Launch(index);
    }

    /// <summary>Polls /health of member <paramref name="index"/> (etcd answers true only with a leader).</summary>
    public async Task WaitHealthyAsync(int index, TimeSpan timeout)
    {
        ClusterMemberProcess process = Require(index);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        string url = Members[index].ClientUrl + "/health";
        await process.WaitForAsync(
            async () =>
            {
                using HttpResponseMessage response = await http.GetAsync(url);
                return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("true", StringComparison.Ordinal);
            },
            timeout,
            $"healthy (member {index})");
    }

    /// <summary>Stops every member (resuming paused ones first) and deletes the data.</summary>
    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < processes.Length; i++)
        {
            if (processes[i] is { } process)
            {
                await process.DisposeAsync();
                processes[i] = null;
            }
        }

        dataRoot.Dispose();
    }

    /// <summary>The output of every running member, for failure messages.</summary>
    public string Output() => string.Join(
        Environment.NewLine,
        processes.Select((process, i) => process is null ? $"--- m{i}: down" : $"--- m{i} (pid {process.Pid}):{Environment.NewLine}{Tail(process.Output, 40)}"));

    private void Launch(int index)
    {
        Directory.CreateDirectory(Members[index].DataDirectory);
        processes[index] = new ClusterMemberProcess(network.Wrap(index, commandOf(Members[index])));
    }

    private ClusterMemberProcess Require(int index) =>
        processes[index] ?? throw new InvalidOperationException($"member {index} is not running");

    private static string Tail(string text, int lines)
    {
        string[] all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
