using Cairn.Testing;
using Xunit.Abstractions;

namespace Cairn.Cluster.Tests;

/// <summary>The same fault scenarios against a 3-member Cairn cluster (the AOT binary): the checker must find nothing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CairnClusterFaultTests(ITestOutputHelper output) : ClusterFaultScenarios(output)
{
    /// <inheritdoc />
    protected override MemberCommand CommandFor(ClusterMemberSpec spec) => MemberCommands.Cairn(spec);
}
