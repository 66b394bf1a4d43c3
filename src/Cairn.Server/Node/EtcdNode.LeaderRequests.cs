using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Server.Node;

/// <summary>
/// Calls that only the leader can answer (lease keepalive and time-to-live, from the leader's lease clocks; member
/// promote, which needs the leader's view of the learner's log): the leader answers locally, a follower asks the leader
/// over the peer transport (<see cref="IPeerRequests"/>), as etcd forwards them over its peer HTTP API. A follower
/// keeps asking — through leader changes — until the request timeout: then it fails with "etcdserver: no leader" when it knows no leader, else "etcdserver: request timed out".
/// </summary>
public sealed partial class EtcdNode
{
    /// <summary>Runs <paramref name="answerLocally"/> when this member leads, else asks the leader.
    /// <paramref name="answerLocally"/> throws <see cref="PeerRequestRetryException"/> when this member is not (yet, or
    /// any more) the leader. A leader that stays silent is asked again only when <paramref name="idempotent"/>: a
    /// promotion may have happened although its answer was lost, and asking again would fail with "not a learner".</summary>
    private async Task<TResponse> OnLeaderAsync<TResponse>(PeerRequestKind kind, IMessage request, MessageParser<TResponse> parser,
        Func<CancellationToken, Task<TResponse>> answerLocally, bool idempotent, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        byte[]? payload = null;
        while (true)
        {
            ThrowIfStopped();
            ulong leader = Volatile.Read(ref _leaderId);
            try
            {
                if (leader == MemberId)
                {
                    return await answerLocally(deadline.Token).ConfigureAwait(false);
                }

                if (leader != 0 && _transport is IPeerRequests peers)
                {
                    payload ??= request.ToByteArray();
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    if (idempotent)
                    {
                        attempt.CancelAfter(PeerAttemptTimeout);
                    }

                    byte[] answer = await peers.AskAsync(leader, kind, payload, attempt.Token).ConfigureAwait(false);
                    return parser.ParseFrom(answer);
                }
            }
            catch (PeerRequestRetryException)
            {
                // Not the leader (any more), not connected, or no answer yet: look again who leads.
            }

            try
            {
                await Task.Delay(_options.TickInterval, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw (Volatile.Read(ref _leaderId) == 0 ? NodeErrors.NoLeader : NodeErrors.Timeout).ToRpcException();
            }
        }
    }

    /// <summary>One forwarded call may be lost with a broken stream; after this long it is asked again.</summary>
    private TimeSpan PeerAttemptTimeout => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, 2 * _options.TickInterval.Ticks * _options.ElectionTicks));

    /// <summary>Answers a request a follower forwarded (the peer transport calls this off the loop thread). Throws
    /// <see cref="PeerRequestRetryException"/> when this member is not the leader.</summary>
    internal async Task<byte[]> AnswerPeerRequestAsync(PeerRequestKind kind, ReadOnlyMemory<byte> payload)
    {
        if (_stopRequested || _failure is not null)
        {
            throw new PeerRequestRetryException("the member is stopping");
        }

        switch (kind)
        {
            case PeerRequestKind.LeaseKeepAlive:
                return RenewLeaseLocally(Cairn.Protocol.Etcd.LeaseKeepAliveRequest.Parser.ParseFrom(payload.Span)).ToByteArray();
            case PeerRequestKind.LeaseTimeToLive:
                return TimeToLiveLocally(Cairn.Protocol.Etcd.LeaseTimeToLiveRequest.Parser.ParseFrom(payload.Span)).ToByteArray();
            case PeerRequestKind.MemberPromote:
                // The follower waits up to its request timeout for this answer; the leader gives the proposal as long.
                using (var timeout = new CancellationTokenSource(_options.RequestTimeout))
                {
                    ulong id = Cairn.Protocol.Etcd.MemberPromoteRequest.Parser.ParseFrom(payload.Span).ID;
                    return (await PromoteOnLeaderAsync(id, timeout.Token).ConfigureAwait(false)).ToByteArray();
                }

            default:
                throw new RpcException(GrpcStatusCode.Unimplemented, $"peer request kind {(byte)kind} is not known to this member");
        }
    }
}
