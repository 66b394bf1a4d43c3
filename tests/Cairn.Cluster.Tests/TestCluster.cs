using System.Diagnostics;
using System.Text.Json;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>Three members on free loopback ports, started together, with etcdctl helpers that poll with deadlines.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    /// <summary>How long a start or a failover may take on a loaded 2-core machine (elections take ~1-2 s).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _root = new("cairn-cluster");

    private TestCluster()
    {
    }

    /// <summary>The members, in --initial-cluster order; a restarted member replaces its slot.</summary>
    public List<ClusterMember> Members { get; } = [];

    /// <summary>The --initial-cluster-token of the members.</summary>
    public string Token { get; private set; } = "";

    /// <summary>The flags every member gets after the cluster flags (a member added later should get them too).</summary>
    public IReadOnlyList<string> ExtraArguments { get; private set; } = [];

    /// <summary>Starts three members and waits until all of them serve; <paramref name="extraArguments"/> go to every member.</summary>
    public static async Task<TestCluster> StartAsync(string token = "cluster-test", IReadOnlyList<string>? extraArguments = null)
    {
        var cluster = new TestCluster { Token = token, ExtraArguments = extraArguments ?? [] };
        var specs = Enumerable.Range(1, 3).Select(i => cluster.NewMemberSpec($"m{i}")).ToList();
        string initialCluster = string.Join(",", specs.Select(s => $"{s.Name}={s.PeerUrl}"));
        foreach (MemberSpec spec in specs)
        {
            cluster.Members.Add(ClusterMember.Start(spec, initialCluster, token, "new", cluster.ExtraArguments));
        }

        try
        {
            await Task.WhenAll(cluster.Members.Select(m => m.WaitHealthyAsync(Deadline)));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Free ports and a data directory under this cluster's root for a member named <paramref name="name"/>.</summary>
    public MemberSpec NewMemberSpec(string name) => new(name, FreePort.Next(), FreePort.Next(), _root.Combine(name));

    /// <summary>Starts a member added with <c>member add</c> (<c>--initial-cluster-state existing</c>, the
    /// ETCD_INITIAL_CLUSTER that member add printed); it joins <see cref="Members"/> and is stopped with the cluster.</summary>
    public ClusterMember StartJoining(MemberSpec spec, string initialCluster)
    {
        ClusterMember member = ClusterMember.Start(spec, initialCluster, Token, "existing", ExtraArguments);
        Members.Add(member);
        return member;
    }

    /// <summary>All client endpoints, comma-separated, for etcdctl.</summary>
    public string AllEndpoints => string.Join(",", Members.Select(m => m.Endpoint));

    /// <summary>The member IDs each live endpoint reports as leader, keyed by the answering member's ID.</summary>
    public static async Task<Dictionary<ulong, ulong>> LeadersSeenAsync(IEnumerable<ClusterMember> members)
    {
        var seen = new Dictionary<ulong, ulong>();
        foreach (ClusterMember member in members)
        {
            ProcessResult result = await Etcdctl.RunAsync(member.Endpoint, "endpoint", "status", "-w", "json");
            if (result.ExitCode != 0)
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(result.Stdout);
            foreach (JsonElement entry in document.RootElement.EnumerateArray())
            {
                JsonElement status = entry.GetProperty("Status");
                // etcdctl omits zero fields: no "leader" means none is known.
                seen[status.GetProperty("header").GetProperty("member_id").GetUInt64()] =
                    status.TryGetProperty("leader", out JsonElement leader) ? leader.GetUInt64() : 0;
            }
        }

        return seen;
    }

    /// <summary>Polls until every given member reports the same, non-zero leader among them; returns it.</summary>
    public static async Task<ulong> WaitForAgreedLeaderAsync(IReadOnlyList<ClusterMember> members, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        Dictionary<ulong, ulong> last = [];
        while (stopwatch.Elapsed < timeout)
        {
            last = await LeadersSeenAsync(members);
            var leaders = last.Values.Distinct().ToList();
            if (last.Count == members.Count && leaders.Count == 1 && leaders[0] != 0 && last.ContainsKey(leaders[0]))
            {
                return leaders[0];
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no agreed leader among {members.Count} members after {timeout}: " +
            string.Join(", ", last.Select(p => $"{p.Key:x} sees {p.Value:x}")));
    }

    /// <summary>The member whose ID is <paramref name="id"/> (from endpoint status).</summary>
    public async Task<ClusterMember> MemberWithIdAsync(ulong id)
    {
        foreach (ClusterMember member in Members)
        {
            ProcessResult result = await Etcdctl.RunAsync(member.Endpoint, "endpoint", "status", "-w", "json");
            if (result.ExitCode == 0)
            {
                using JsonDocument document = JsonDocument.Parse(result.Stdout);
                if (document.RootElement[0].GetProperty("Status").GetProperty("header").GetProperty("member_id").GetUInt64() == id)
                {
                    return member;
                }
            }
        }

        throw new InvalidOperationException($"no live member has ID {id:x}");
    }

    /// <summary>The value of <paramref name="key"/> read through <paramref name="member"/>, or null when absent.</summary>
    public static async Task<string?> GetAsync(ClusterMember member, string key, bool serializable = false)
    {
        string[] arguments = serializable
            ? ["get", key, "--print-value-only", "--consistency=s"]
            : ["get", key, "--print-value-only"];
        ProcessResult result = (await Etcdctl.RunAsync(member.Endpoint, arguments)).EnsureSuccess($"etcdctl get {key} via {member.Spec.Name}");
        string value = result.Stdout.TrimEnd('\n');
        return value.Length == 0 ? null : value;
    }

    /// <summary>Writes through <paramref name="member"/>; fails the test when the write is not acknowledged.</summary>
    public static async Task PutAsync(ClusterMember member, string key, string value) =>
        (await Etcdctl.RunAsync(member.Endpoint, "put", key, value)).EnsureSuccess($"etcdctl put {key} via {member.Spec.Name}");

    /// <summary>Everything the members printed, for failure messages.</summary>
    public string Logs => string.Join("\n", Members.Select(m => $"--- {m.Spec.Name} ---\n{m.Output}"));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Members.Select(m => m.DisposeAsync().AsTask()));
        _root.Dispose();
    }
}
