using System.Net.Sockets;
using Cairn.Configuration;
using Cairn.Server.Node;
using Cairn.Server.Peers;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting;

/// <summary>The raft peer transport of the host: created before the member opens, attached and listening after.</summary>
public sealed partial class CairnHost
{
    /// <summary>The peer listener, or null for a member that is alone in its cluster (it does not bind the peer port).</summary>
    public PeerListener? PeerListener { get; private set; }

    private PeerTransport? Transport { get; set; }

    private static PeerTransport CreateTransport(IReadOnlyList<Cairn.Protocol.Etcd.Member> knownMembers, ILoggerProvider logs,
        Cairn.Server.Metrics.PeerTransportMetrics metrics) =>
        new(new PeerTransportOptions(), knownMembers, logs.CreateLogger("Cairn.Peers"), metrics);

    /// <summary>
    /// A member with peers (an initial cluster of several members, a join, or a recovered multi-member cluster) listens on
    /// the peer URLs. A lone member does not, so single-node servers never fight over the default peer port.
    /// </summary>
    private static PeerListener? StartPeerListener(CairnConfig config, NodeOptions options, EtcdNode node, PeerTransport transport, ILoggerProvider logs)
    {
        transport.Attach(node);
        bool hasPeers = options.JoinExistingCluster || EtcdNode.InitialMembers(options).Count > 1 || node.State.Cluster.List().Members.Count > 1;
        if (!hasPeers)
        {
            return null;
        }

        try
        {
            return PeerListener.Start(transport, config.Peer.ListenUrls, logs.CreateLogger("Cairn.Peers"));
        }
        catch (SocketException exception)
        {
            string urls = string.Join(",", config.Peer.ListenUrls.Select(ConfigUrls.Format));
            string hint = exception.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? "another process (etcd? another cairn?) already listens there; stop it or change peer.listen_urls (--listen-peer-urls)"
                : "check peer.listen_urls (--listen-peer-urls)";
            throw new HostStartException($"cannot listen for peers on {urls}: {exception.Message}: {hint}", exception);
        }
    }

    private async ValueTask DisposePeersAsync()
    {
        if (PeerListener is not null)
        {
            await PeerListener.DisposeAsync().ConfigureAwait(false);
        }

        if (Transport is not null)
        {
            await Transport.DisposeAsync().ConfigureAwait(false);
        }
    }
}
