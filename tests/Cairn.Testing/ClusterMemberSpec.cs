namespace Cairn.Testing;

/// <summary>Everything needed to start member <see cref="Index"/> of a local test cluster.</summary>
/// <param name="Index">0-based member number.</param>
/// <param name="Name">The member name (etcd's --name), e.g. m0.</param>
/// <param name="ClientUrl">Where clients reach it, e.g. http://127.0.0.1:40001.</param>
/// <param name="PeerUrl">Where the other members reach it.</param>
/// <param name="DataDirectory">Its data directory (kept across restarts).</param>
/// <param name="InitialCluster">etcd's --initial-cluster value listing every member.</param>
/// <param name="ClusterToken">etcd's --initial-cluster-token (unique per test cluster).</param>
public sealed record ClusterMemberSpec(
    int Index,
    string Name,
    string ClientUrl,
    string PeerUrl,
    string DataDirectory,
    string InitialCluster,
    string ClusterToken)
{
    /// <summary>The client endpoint as host:port.</summary>
    public string Endpoint => ClientUrl["http://".Length..];
}

/// <summary>A program and its arguments.</summary>
/// <param name="FileName">The executable.</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record MemberCommand(string FileName, IReadOnlyList<string> Arguments);
