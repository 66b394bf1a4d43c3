namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>Lease and cluster verbs of stock etcdctl against real etcd and cairn serve.</summary>
public class LeaseDifferentialTests
{
    [Fact]
    public async Task Lease_verbs_answer_as_etcd()
    {
        await using ServerPair servers = await ServerPair.StartAsync();

        await servers.GrantLeaseAsync(600);
        await servers.SameAsync("put", "leased", "v", "--lease", "{lease}", "-w", "json");
        await servers.SameAsync("put", "leased2", "v", "--lease={lease}");
        await servers.SameAsync("get", "leased", "-w", "json");
        await servers.SameAsync("put", "leased", "v2", "--ignore-lease", "--prev-kv", "-w", "json");
        await servers.SameAsync("lease", "list");
        await servers.SameAsync("lease", "list", "-w", "json");
        await servers.SameAsync("lease", "timetolive", "{lease}", "--keys");
        await servers.SameAsync("lease", "keep-alive", "--once", "{lease}");
        await servers.SameAsync("lease", "keep-alive", "--once", "{lease}", "-w", "json");
        await servers.SameAsync("lease", "revoke", "{lease}");
        await servers.SameAsync("get", "leased", "--prefix", "-w", "json");
        await servers.SameAsync("lease", "revoke", "{lease}");
        await servers.SameAsync("lease", "timetolive", "{lease}");
        await servers.SameAsync("lease", "list");
    }

    [Fact]
    public async Task Cluster_and_maintenance_verbs_answer_as_etcd()
    {
        await using ServerPair servers = await ServerPair.StartAsync();

        await servers.SameAsync("put", "k", "v");
        await servers.SameAsync("alarm", "list");
        await servers.SameAsync("alarm", "list", "-w", "json");
        await servers.SameAsync("alarm", "disarm");
        await servers.SameAsync("defrag");
        await servers.SameAsync("version");
        await servers.SameAsync("endpoint", "health");
        await servers.SameAsync("endpoint", "health", "-w", "json");
        await servers.SameAsync("endpoint", "hashkv", "-w", "json");
        await servers.SameAsync("move-leader", "1");
        await servers.LearnMemberIdsAsync();
        await servers.SameAsync("move-leader", "{member}");
        await servers.SameAsync("endpoint", "status", "-w", "json");
    }
}
