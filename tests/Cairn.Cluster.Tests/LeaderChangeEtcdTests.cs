using Cairn.Testing;
using Xunit.Abstractions;

namespace Cairn.Cluster.Tests;

/// <summary>The leader-change scenarios against a 3-member real etcd 3.4.23 cluster: the oracle.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaderChangeEtcdTests(ITestOutputHelper output) : LeaderChangeScenarios(output)
{
    /// <inheritdoc />
    protected override MemberCommand CommandFor(ClusterMemberSpec spec) => MemberCommands.Etcd(spec);

    /// <summary>etcd's first put goes to the removed leader, which drops it, and fails after the 7 s request timeout.</summary>
    protected override TimeSpan WritesResumeWithin => TimeSpan.FromSeconds(15);
}
