namespace Cairn.Cluster.Tests;

/// <summary>Cluster test classes run one after another: two 3-member clusters at once would overload a 2-core machine
/// and make election timing flaky.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster";
}
