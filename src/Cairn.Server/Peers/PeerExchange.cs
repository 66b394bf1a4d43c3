using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Cairn.Protocol.Grpc;
using Cairn.Server.Node;

namespace Cairn.Server.Peers;

/// <summary>
/// Request/response calls between members on the raft streams (docs/CLUSTER.md, "Peer requests"). A request travels
/// on this member's outbound stream to the peer, its response on the peer's outbound stream back, matched by a
/// correlation ID. Nothing here retries or waits beyond the caller's token: a lost frame (a reconnect drops the queue)
/// simply leaves the caller to its deadline, and the node decides whether to ask again.
/// </summary>
/// <remarks>
/// Frame bodies: a request is kind <see cref="FrameKind.Request"/>, u64 correlation ID, the <see cref="PeerRequestKind"/>
/// byte and the encoded etcd request; a response is kind <see cref="FrameKind.Response"/>, the correlation ID, a
/// <see cref="ResponseStatus"/> byte and the encoded etcd response (Ok), a UTF-8 reason (Retry), or the gRPC status
/// code byte and its UTF-8 message (Failed).
/// </remarks>
internal sealed class PeerExchange(PeerTransport transport)
{
    /// <summary>Kind byte and correlation ID in front of every exchange frame's tag byte.</summary>
    private const int HeaderBytes = 1 + 8;

    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<byte[]>> _pending = new();
    private long _nextCorrelationId;

    /// <inheritdoc cref="IPeerRequests.AskAsync"/>
    public async Task<byte[]> AskAsync(ulong peerId, PeerRequestKind kind, byte[] payload, CancellationToken cancellationToken)
    {
        ulong correlationId = (ulong)Interlocked.Increment(ref _nextCorrelationId);
        var response = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = response;
        try
        {
            if (!transport.TryEnqueue(peerId, OutboundFrame.Exchange(FrameKind.Request, correlationId, (byte)kind, payload)))
            {
                throw new PeerRequestRetryException($"member {peerId:x} is not connected");
            }

            return await response.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new PeerRequestRetryException($"member {peerId:x} did not answer in time");
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
        }
    }

    /// <summary>A request or response frame from <paramref name="peerId"/>'s stream (body: kind byte first).</summary>
    public void OnFrame(ulong peerId, byte[] body)
    {
        if (body.Length < HeaderBytes + 1)
        {
            throw new InvalidDataException($"an exchange frame of {body.Length} bytes is too short");
        }

        ulong correlationId = BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(1));
        byte tag = body[HeaderBytes];
        ReadOnlyMemory<byte> payload = body.AsMemory(HeaderBytes + 1);
        if ((FrameKind)body[0] == FrameKind.Request)
        {
            // Off the stream's reader: answering touches the node, and the next raft frame must not wait for it.
            _ = Task.Run(() => AnswerAsync(peerId, correlationId, (PeerRequestKind)tag, payload));
        }
        else if (_pending.TryRemove(correlationId, out TaskCompletionSource<byte[]>? waiting))
        {
            Complete(waiting, (ResponseStatus)tag, payload.Span);
        }
    }

    private async Task AnswerAsync(ulong peerId, ulong correlationId, PeerRequestKind kind, ReadOnlyMemory<byte> payload)
    {
        ResponseStatus status;
        byte[] answer;
        try
        {
            EtcdNode node = transport.Node ?? throw new PeerRequestRetryException("the member is still starting");
            answer = await node.AnswerPeerRequestAsync(kind, payload).ConfigureAwait(false);
            status = ResponseStatus.Ok;
        }
        catch (PeerRequestRetryException retry)
        {
            status = ResponseStatus.Retry;
            answer = Encoding.UTF8.GetBytes(retry.Message);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException malformed)
        {
            status = ResponseStatus.Failed;
            answer = [(byte)GrpcStatusCode.InvalidArgument, .. Encoding.UTF8.GetBytes(malformed.Message)];
        }
        catch (RpcException failed)
        {
            status = ResponseStatus.Failed;
            answer = [(byte)failed.StatusCode, .. Encoding.UTF8.GetBytes(failed.Message)];
        }

        // A response that cannot be queued is lost like any frame on a broken stream: the asker times out and retries.
        transport.TryEnqueue(peerId, OutboundFrame.Exchange(FrameKind.Response, correlationId, (byte)status, answer));
    }

    private static void Complete(TaskCompletionSource<byte[]> waiting, ResponseStatus status, ReadOnlySpan<byte> payload)
    {
        switch (status)
        {
            case ResponseStatus.Ok:
                waiting.TrySetResult(payload.ToArray());
                break;
            case ResponseStatus.Failed when payload.Length > 0:
                waiting.TrySetException(new RpcException((GrpcStatusCode)payload[0], Encoding.UTF8.GetString(payload[1..])));
                break;
            default:
                waiting.TrySetException(new PeerRequestRetryException(Encoding.UTF8.GetString(payload)));
                break;
        }
    }

    /// <summary>How a peer answered.</summary>
    private enum ResponseStatus : byte
    {
        /// <summary>The encoded etcd response follows.</summary>
        Ok = 0,

        /// <summary>The peer cannot answer now (not the leader): ask the leader again.</summary>
        Retry = 1,

        /// <summary>The call failed with a gRPC status: code byte, then the message.</summary>
        Failed = 2,
    }
}
