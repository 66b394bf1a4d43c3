using Cairn.Server.Node;
using Cairn.Server.Peers;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting;

/// <summary>The raft peer transport of the host: created before the member opens, attached and listening after.</summary>
public sealed partial class CairnHost
{
    /// <summary>The peer listener, or null while the member is alone in its cluster (it binds the peer port once the
    /// cluster grows).</summary>
    public PeerListener? PeerListener => Peers?.Listener;

    private PeerListening? Peers { get; set; }

    private PeerTransport? Transport { get; set; }

    private static PeerTransport CreateTransport(IReadOnlyList<Cairn.Protocol.Etcd.Member> knownMembers, ILoggerProvider logs,
        Cairn.Server.Metrics.PeerTransportMetrics metrics) =>
        new(new PeerTransportOptions(), knownMembers, logs.CreateLogger("Cairn.Peers"), metrics);

    /// <summary>
    /// A member with peers (an initial cluster of several members, a join, or a recovered multi-member cluster) listens on
    /// the peer URLs at once. A lone member listens once its member list grows (<see cref="PeerListening"/>).
    /// </summary>
    private static void StartPeerListener(NodeOptions options, EtcdNode node, PeerTransport transport, PeerListening listening)
    {
        transport.Attach(node);
        bool hasPeers = options.JoinExistingCluster || EtcdNode.InitialMembers(options).Count > 1 || node.State.Cluster.List().Members.Count > 1;
        if (hasPeers)
        {
            listening.Start();
        }

        listening.StartWhenGrown();
    }

    private async ValueTask DisposePeersAsync()
    {
        if (Peers is not null)
        {
            await Peers.DisposeAsync().ConfigureAwait(false);
        }

        if (Transport is not null)
        {
            await Transport.DisposeAsync().ConfigureAwait(false);
        }
    }
}
