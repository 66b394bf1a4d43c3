using Cairn.Testing;
using Xunit.Abstractions;

namespace Cairn.Cluster.Tests;

/// <summary>The fault scenarios against a 3-member real etcd 3.4.23 cluster: the checker must find nothing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EtcdClusterFaultTests(ITestOutputHelper output) : ClusterFaultScenarios(output)
{
    /// <inheritdoc />
    protected override MemberCommand CommandFor(ClusterMemberSpec spec) => MemberCommands.Etcd(spec);
}
