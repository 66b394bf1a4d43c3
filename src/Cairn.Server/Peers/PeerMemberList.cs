using System.Buffers.Binary;
using System.Net.Sockets;
using Cairn.Protocol.Etcd;
using Cairn.Server.Node;
using Google.Protobuf;

namespace Cairn.Server.Peers;

/// <summary>
/// The member list over the peer port, for a member that joins a running cluster (etcd asks its peers' /members the
/// same way): it knows only the peers' URLs, not its own ID or the cluster's, so it sends a handshake whose cluster,
/// sender and recipient IDs are all zero. The listener answers Accepted, then a u32 little-endian length and a
/// MemberListResponse (header: the cluster ID and the answering member's ID), and closes the connection.
/// </summary>
internal static class PeerMemberList
{
    /// <summary>The largest member list accepted (a few hundred bytes per member).</summary>
    private const int MaxAnswerBytes = 4 << 20;

    /// <summary>Whether <paramref name="hello"/> is a member list request rather than a raft stream's handshake.</summary>
    public static bool IsRequest(ReadOnlySpan<byte> hello) =>
        PeerProtocol.ReadHandshake(hello, out _) is (0, 0, 0);

    /// <summary>Writes the answer: Accepted, then the length-prefixed member list.</summary>
    public static async Task AnswerAsync(NetworkStream network, EtcdNode node, CancellationToken cancellationToken)
    {
        MemberListResponse list = node.State.Cluster.List();
        list.Header = new ResponseHeader { ClusterId = node.ClusterId, MemberId = node.MemberId };
        byte[] body = list.ToByteArray();
        byte[] accepted = PeerProtocol.EncodeAnswer(HandshakeStatus.Accepted, "");
        byte[] answer = new byte[accepted.Length + PeerProtocol.LengthPrefixBytes + body.Length];
        accepted.CopyTo(answer, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(answer.AsSpan(accepted.Length), (uint)body.Length);
        body.CopyTo(answer, accepted.Length + PeerProtocol.LengthPrefixBytes);
        await network.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the member at <paramref name="peerUrl"/> for the member list; throws <see cref="IOException"/>
    /// (a <see cref="PeerRefusedException"/> when it refused) or <see cref="SocketException"/> when it cannot answer.</summary>
    public static async Task<MemberListResponse> AskAsync(string peerUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var uri = new Uri(peerUrl);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(uri.Host, uri.Port, deadline.Token).ConfigureAwait(false);
        await using var network = new NetworkStream(socket, ownsSocket: false);
        byte[] hello = new byte[PeerProtocol.HandshakeBytes];
        PeerProtocol.WriteHandshake(hello, 0, 0, 0);
        await network.WriteAsync(hello, deadline.Token).ConfigureAwait(false);
        byte[] head = new byte[3];
        await network.ReadExactlyAsync(head, deadline.Token).ConfigureAwait(false);
        int reasonBytes = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(1));
        if (reasonBytes > PeerProtocol.MaxReasonBytes)
        {
            throw new IOException($"the answer announces a {reasonBytes}-byte reason (at most {PeerProtocol.MaxReasonBytes})");
        }

        byte[] reason = new byte[reasonBytes];
        await network.ReadExactlyAsync(reason, deadline.Token).ConfigureAwait(false);
        if ((HandshakeStatus)head[0] != HandshakeStatus.Accepted)
        {
            throw new PeerRefusedException(System.Text.Encoding.UTF8.GetString(reason), removed: false);
        }

        byte[] prefix = new byte[PeerProtocol.LengthPrefixBytes];
        await network.ReadExactlyAsync(prefix, deadline.Token).ConfigureAwait(false);
        uint bodyBytes = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (bodyBytes > MaxAnswerBytes)
        {
            throw new IOException($"the member list is {bodyBytes} bytes, over the limit of {MaxAnswerBytes}");
        }

        byte[] body = new byte[bodyBytes];
        await network.ReadExactlyAsync(body, deadline.Token).ConfigureAwait(false);
        try
        {
            return MemberListResponse.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new IOException($"the member list from {peerUrl} is damaged: {error.Message}", error);
        }
    }
}
