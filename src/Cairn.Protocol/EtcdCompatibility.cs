namespace Cairn.Protocol;

/// <summary>
/// The etcd release whose v3 API Cairn speaks, as reported to clients in <c>Status.version</c> and <c>/version</c>.
/// </summary>
/// <remarks>
/// Behaviour follows etcd 3.4 (the oracle in the tests is Debian's etcd 3.4.23). The patch level is at least
/// 3.4.31 because kube-apiserver only uses watch progress requests from servers that report 3.4.31 or newer
/// (anchors §2.6), and Cairn implements them correctly.
/// </remarks>
public static class EtcdCompatibility
{
    /// <summary>The server version string (<c>etcdserver</c> in <c>/version</c>).</summary>
    public const string ServerVersion = "3.4.35";

    /// <summary>The cluster version string (<c>etcdcluster</c> in <c>/version</c>).</summary>
    public const string ClusterVersion = "3.4.0";

    /// <summary>The API version clients see (<c>etcdctl version</c> prints it).</summary>
    public const string ApiVersion = "3.4";
}
