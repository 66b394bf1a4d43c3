namespace Cairn.Testing;

/// <summary>
/// "How to start member i" for <see cref="LocalCluster"/>: real etcd, or Cairn with the same flag names.
/// </summary>
public static class MemberCommands
{
    /// <summary>Real etcd 3.4.23 from /usr/bin/etcd.</summary>
    public static MemberCommand Etcd(ClusterMemberSpec spec) => new("/usr/bin/etcd", [.. CommonFlags(spec), "--logger", "zap", "--log-outputs", "stderr"]);

    /// <summary>
    /// out/cairn serve with etcd's cluster flags: the same member spec starts a Cairn member.
    /// </summary>
    public static MemberCommand Cairn(ClusterMemberSpec spec) => new(RepositoryPaths.CairnBinary, ["serve", .. CommonFlags(spec)]);

    private static List<string> CommonFlags(ClusterMemberSpec spec) =>
    [
        "--name", spec.Name, "--data-dir", spec.DataDirectory,
        "--listen-client-urls", spec.ClientUrl, "--advertise-client-urls", spec.ClientUrl,
        "--listen-peer-urls", spec.PeerUrl, "--initial-advertise-peer-urls", spec.PeerUrl,
        "--initial-cluster", spec.InitialCluster, "--initial-cluster-token", spec.ClusterToken,
        "--initial-cluster-state", "new",
    ];
}
