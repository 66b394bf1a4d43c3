using Cairn.Testing;
using Xunit.Abstractions;

namespace Cairn.Cluster.Tests;

/// <summary>The leader-loss and lease scenarios against a 3-member real etcd 3.4.23 cluster: the oracle.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EtcdLeaderLossTests(ITestOutputHelper output) : LeaderLossScenarios(output)
{
    /// <inheritdoc />
    protected override MemberCommand CommandFor(ClusterMemberSpec spec) => MemberCommands.Etcd(spec);

    /// <inheritdoc />
    protected override bool KeepsRemainingTtlAcrossLeaderChange => false;
}
