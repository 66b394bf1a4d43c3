using Cairn.Testing;
using Xunit.Abstractions;

namespace Cairn.Cluster.Tests;

/// <summary>The leader-loss and lease scenarios against a 3-member Cairn cluster (the AOT binary).</summary>
[Collection(ClusterCollection.Name)]
public sealed class CairnLeaderLossTests(ITestOutputHelper output) : LeaderLossScenarios(output)
{
    /// <inheritdoc />
    protected override MemberCommand CommandFor(ClusterMemberSpec spec) => MemberCommands.Cairn(spec);

    /// <inheritdoc />
    protected override bool KeepsRemainingTtlAcrossLeaderChange => true;
}
