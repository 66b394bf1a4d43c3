using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using Cairn.Raft;
using Cairn.Raft.Codec;
using Cairn.Server.Metrics;
using Cairn.Server.Node;
using Cairn.Storage.Snapshots;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Peers;

/// <summary>
/// One accepted peer connection: validates the handshake, then reads frames and hands each raft message to the node.
/// A snapshot message's file is streamed into the data directory (checksum verified, then the state snapshot file
/// itself verified) before raft sees the message, as <c>EtcdNode</c> requires.
/// </summary>
internal sealed class PeerInboundStream(PeerTransport transport, Socket socket, ILogger log)
{
    private const int ReadBufferBytes = 64 * 1024;
    private readonly string _remote = socket.RemoteEndPoint?.ToString() ?? "unknown";

    public async Task RunAsync(CancellationToken stop)
    {
        using (socket)
        await using (var network = new NetworkStream(socket, ownsSocket: false))
        {
            ulong peerId = 0;
            try
            {
                peerId = await AcceptHandshakeAsync(network, stop).ConfigureAwait(false);
                if (peerId == 0)
                {
                    return;
                }

                PeerLog.Accepted(log, peerId, _remote);
                var buffered = new BufferedStream(network, ReadBufferBytes);
                await ReadFramesAsync(buffered, peerId, stop).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or SocketException or InvalidDataException or RaftCodecException or ObjectDisposedException)
            {
                if (!stop.IsCancellationRequested && peerId != 0)
                {
                    PeerLog.InboundClosed(log, peerId, error.Message);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Returns the sender's ID, or 0 after refusing it (with a log line here and the reason sent back).</summary>
    private async Task<ulong> AcceptHandshakeAsync(NetworkStream network, CancellationToken stop)
    {
        byte[] hello = new byte[PeerProtocol.HandshakeBytes];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(transport.Options.DialTimeout);
        await network.ReadExactlyAsync(hello, timeout.Token).ConfigureAwait(false);
        if (PeerMemberList.IsRequest(hello) && transport.Node is EtcdNode node && node.State.Cluster.IsBootstrapped)
        {
            await PeerMemberList.AnswerAsync(network, node, timeout.Token).ConfigureAwait(false);
            PeerLog.MemberListAnswered(log, _remote);
            return 0;
        }

        string? problem = Validate(hello, out ulong peerId);
        if (problem is not null)
        {
            PeerLog.RefusedPeer(log, _remote, problem);
            HandshakeStatus status = peerId != 0 && transport.IsRemoved(peerId) ? HandshakeStatus.Removed : HandshakeStatus.Refused;
            await network.WriteAsync(PeerProtocol.EncodeAnswer(status, problem), timeout.Token).ConfigureAwait(false);
            return 0;
        }

        await network.WriteAsync(PeerProtocol.EncodeAnswer(HandshakeStatus.Accepted, ""), timeout.Token).ConfigureAwait(false);
        return peerId;
    }

    private string? Validate(ReadOnlySpan<byte> hello, out ulong peerId)
    {
        peerId = 0;
        if (PeerProtocol.ReadHandshake(hello, out string? problem) is not (ulong clusterId, ulong fromId, ulong toId))
        {
            return problem;
        }

        if (transport.Node is null)
        {
            return "the member is still starting; retry";
        }

        if (clusterId != transport.ClusterId)
        {
            return $"member {fromId:x} belongs to cluster {clusterId:x}, this member to cluster {transport.ClusterId:x}; " +
                "check --initial-cluster and --initial-cluster-token on both members";
        }

        if (toId != transport.LocalId)
        {
            return $"member {fromId:x} addressed member {toId:x}, but this is member {transport.LocalId:x}; check the peer URLs in --initial-cluster";
        }

        if (transport.IsRemoved(fromId))
        {
            peerId = fromId;
            return $"member {fromId:x} was removed from cluster {clusterId:x}; the member has been permanently removed from the cluster";
        }

        if (!transport.IsKnownMember(fromId))
        {
            return $"member {fromId:x} is not a member of cluster {clusterId:x} (removed, or never added); add it with member add first";
        }

        peerId = fromId;
        return null;
    }

    private async Task ReadFramesAsync(Stream input, ulong peerId, CancellationToken stop)
    {
        byte[] prefix = new byte[PeerProtocol.LengthPrefixBytes];
        EtcdNode node = transport.Node!;
        PeerCounters received = transport.Metrics.For(peerId);
        while (true)
        {
            if (await input.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, stop).ConfigureAwait(false) < prefix.Length)
            {
                throw new IOException("the peer closed the stream");
            }

            uint bodyBytes = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
            if (bodyBytes < 2 || bodyBytes > (uint)transport.Options.MaxFrameBytes)
            {
                throw new InvalidDataException($"a frame of {bodyBytes} bytes is outside 2..{transport.Options.MaxFrameBytes}");
            }

            if (transport.IsRemoved(peerId))
            {
                throw new InvalidDataException($"member {peerId:x} was removed from the cluster");
            }

            byte[] body = new byte[bodyBytes];
            await input.ReadExactlyAsync(body, stop).ConfigureAwait(false);
            received.Received(prefix.Length + body.Length);
            if ((FrameKind)body[0] is FrameKind.Request or FrameKind.Response)
            {
                transport.Exchange.OnFrame(peerId, body);
                continue;
            }

            Message message = RaftCodec.DecodeMessageZeroCopy(body.AsMemory(1));
            if (message.From != peerId || message.To != transport.LocalId)
            {
                throw new InvalidDataException($"a message {message.From:x}->{message.To:x} arrived on the stream of member {peerId:x}");
            }

            switch ((FrameKind)body[0])
            {
                case FrameKind.Message when message.Type != MessageType.Snapshot:
                    break;
                case FrameKind.Snapshot when message.Type == MessageType.Snapshot && message.Snapshot is not null:
                    await ReceiveSnapshotFileAsync(input, message.Snapshot, peerId, stop).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidDataException($"frame kind {body[0]} does not match a {message.Type} message");
            }

            node.Receive(message);
        }
    }

    /// <summary>Streams the file into the temp directory, checks the SHA-256 and the snapshot file itself, then moves it
    /// into the snapshot directory under the name the node looks for.</summary>
    private async Task ReceiveSnapshotFileAsync(Stream input, Snapshot snapshot, ulong peerId, CancellationToken stop)
    {
        byte[] lengthBytes = new byte[8];
        await input.ReadExactlyAsync(lengthBytes, stop).ConfigureAwait(false);
        long fileBytes = (long)BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (fileBytes <= 0 || fileBytes > transport.Options.MaxSnapshotBytes)
        {
            throw new InvalidDataException($"a snapshot of {fileBytes} bytes is outside 1..{transport.Options.MaxSnapshotBytes}");
        }

        (string temporaryDirectory, string snapshotDirectory) = transport.SnapshotDirectories();
        Directory.CreateDirectory(temporaryDirectory);
        Directory.CreateDirectory(snapshotDirectory);
        string partial = Path.Combine(temporaryDirectory, $"peer-{peerId:x}-{snapshot.Index:x16}.snap.partial");
        try
        {
            await CopyVerifiedAsync(input, partial, fileBytes, stop).ConfigureAwait(false);
            (ulong index, ulong term, _) = SnapshotFiles.Verify(partial);
            if (index != snapshot.Index || term != snapshot.Term)
            {
                throw new InvalidDataException($"the snapshot file holds entry {index} term {term}, the message says {snapshot.Index} term {snapshot.Term}");
            }

            string final = Path.Combine(snapshotDirectory, SnapshotFiles.FileName(snapshot.Index, snapshot.Term));
            File.Move(partial, final, overwrite: true);
            PeerLog.SnapshotReceived(log, final, fileBytes, peerId);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static async Task CopyVerifiedAsync(Stream input, string path, long fileBytes, CancellationToken stop)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] chunk = new byte[1 << 20];
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            long remaining = fileBytes;
            while (remaining > 0)
            {
                int read = await input.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, remaining)), stop).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"the peer closed the stream {remaining} bytes before the end of the snapshot");
                }

                hash.AppendData(chunk, 0, read);
                await file.WriteAsync(chunk.AsMemory(0, read), stop).ConfigureAwait(false);
                remaining -= read;
            }

            file.Flush(flushToDisk: true);
        }

        byte[] expected = new byte[PeerProtocol.ChecksumBytes];
        await input.ReadExactlyAsync(expected, stop).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(expected, hash.GetHashAndReset()))
        {
            throw new InvalidDataException("the snapshot's SHA-256 does not match what the peer sent (damaged in transit)");
        }
    }
}
