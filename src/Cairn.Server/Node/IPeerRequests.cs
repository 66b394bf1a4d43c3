namespace Cairn.Server.Node;

/// <summary>
/// Request/response calls to another member over the peer transport, for what etcd forwards from a follower to the
/// leader (lease keepalive and time-to-live, member promote). Implemented by the peer transport; a single-node member
/// has none and never needs it (it is always its own leader).
/// </summary>
public interface IPeerRequests
{
    /// <summary>
    /// Sends <paramref name="payload"/> (an encoded etcd request of <paramref name="kind"/>) to <paramref name="peerId"/>
    /// and returns the encoded response. Throws <see cref="PeerRequestRetryException"/> when the peer could not answer
    /// (not connected, not the leader any more, no answer before <paramref name="cancellationToken"/>), or the
    /// <see cref="Cairn.Protocol.Grpc.RpcException"/> the peer failed the call with.
    /// </summary>
    Task<byte[]> AskAsync(ulong peerId, PeerRequestKind kind, byte[] payload, CancellationToken cancellationToken);
}

/// <summary>What a peer request asks for.</summary>
public enum PeerRequestKind : byte
{
    /// <summary>A <c>LeaseKeepAliveRequest</c>, answered with a <c>LeaseKeepAliveResponse</c> (the leader renews).</summary>
    LeaseKeepAlive = 1,

    /// <summary>A <c>LeaseTimeToLiveRequest</c>, answered with the leader's <c>LeaseTimeToLiveResponse</c>.</summary>
    LeaseTimeToLive = 2,

    /// <summary>A <c>MemberPromoteRequest</c>, answered with the leader's <c>MemberPromoteResponse</c> once the
    /// promotion is applied.</summary>
    MemberPromote = 3,
}

/// <summary>A peer request that may succeed when tried again (against the same or a new leader).</summary>
public sealed class PeerRequestRetryException(string reason) : Exception(reason);
