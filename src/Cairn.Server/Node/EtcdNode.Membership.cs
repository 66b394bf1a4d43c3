using System.Diagnostics;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Raft;
using Cairn.Storage;
using Cairn.Storage.Cluster;
using Cairn.Storage.StateMachine;

namespace Cairn.Server.Node;

/// <summary>
/// Membership changes as etcd 3.4 makes them: checked against its strict reconfiguration rules on the leader, then
/// proposed as raft configuration changes whose context is the replicated member request (so raft's configuration and
/// the member list change together at apply). Also the initial membership of a new cluster and this member's
/// published name and client URLs, and MoveLeader.
/// </summary>
public sealed partial class EtcdNode
{
    /// <summary>etcd's learner readiness: a learner may be promoted once its log matches 90 % of the leader's.</summary>
    private const double LearnerReadyFraction = 0.9;

    /// <summary>How long a member that applied its own removal keeps running, so the entry's commit reaches the others
    /// (etcd stops such a member after the same delay).</summary>
    private static readonly TimeSpan RemovalStopDelay = TimeSpan.FromSeconds(1);

    /// <summary>etcd's HealthInterval: how long a peer must have been connected to count for the strict
    /// reconfiguration checks.</summary>
    private static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(5);

    private bool _membershipProposalInFlight;
    private bool _membershipSettled;
    private int _membersGenerationSeen = -1;
    private long _removedAtTimestamp;

    /// <summary>MemberAdd: a new member (voter or learner) with an ID derived as etcd derives it for runtime adds.</summary>
    public async Task<MemberAddResponse> AddMemberAsync(IReadOnlyCollection<string> peerUrls, bool isLearner, CancellationToken cancellationToken)
    {
        if (!MemberUrls.AreValid(peerUrls))
        {
            throw EtcdError.MemberBadUrls.ToRpcException();
        }

        var member = new Member { ID = MemberIds.ForMember(peerUrls, _options.ClusterToken, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), IsLearner = isLearner };
        member.PeerURLs.AddRange(MemberUrls.Sorted(peerUrls));
        await OnLoopAsync(() => CheckMayAddMember(isLearner)).ConfigureAwait(false);
        var request = new InternalRequest { MemberAdd = new MemberAddCommand { Member = member } };
        ApplyResult result = await ProposeMembershipChangeAsync(isLearner ? ConfChangeType.AddLearnerNode : ConfChangeType.AddNode,
            member.ID, request, cancellationToken).ConfigureAwait(false);
        return (MemberAddResponse)result.Response!;
    }

    /// <summary>MemberRemove.</summary>
    public async Task<MemberRemoveResponse> RemoveMemberAsync(ulong id, CancellationToken cancellationToken)
    {
        await OnLoopAsync(() => CheckMayRemoveMember(id)).ConfigureAwait(false);
        var request = new InternalRequest { MemberRemove = new MemberRemoveCommand { Id = id } };
        ApplyResult result = await ProposeMembershipChangeAsync(ConfChangeType.RemoveNode, id, request, cancellationToken).ConfigureAwait(false);
        return (MemberRemoveResponse)result.Response!;
    }

    /// <summary>MemberUpdate (new peer URLs).</summary>
    public async Task<MemberUpdateResponse> UpdateMemberAsync(ulong id, IReadOnlyCollection<string> peerUrls, CancellationToken cancellationToken)
    {
        if (!MemberUrls.AreValid(peerUrls))
        {
            throw EtcdError.MemberBadUrls.ToRpcException();
        }

        var command = new MemberUpdateCommand { Id = id };
        command.PeerUrls.AddRange(MemberUrls.Sorted(peerUrls));
        ApplyResult result = await ProposeMembershipChangeAsync(ConfChangeType.UpdateNode, id,
            new InternalRequest { MemberUpdate = command }, cancellationToken).ConfigureAwait(false);
        return (MemberUpdateResponse)result.Response!;
    }

    /// <summary>MemberPromote (learner to voter), only once the learner has caught up with the leader. Only the leader
    /// knows how far the learner's log is, so a follower forwards the promotion to it, as etcd does.</summary>
    public Task<MemberPromoteResponse> PromoteMemberAsync(ulong id, CancellationToken cancellationToken) =>
        OnLeaderAsync(PeerRequestKind.MemberPromote, new MemberPromoteRequest { ID = id }, MemberPromoteResponse.Parser,
            deadline => PromoteOnLeaderAsync(id, deadline), idempotent: false, cancellationToken);

    private async Task<MemberPromoteResponse> PromoteOnLeaderAsync(ulong id, CancellationToken cancellationToken)
    {
        if (!await OnLoopAsync(() => CheckMayPromoteMember(id)).ConfigureAwait(false))
        {
            throw new PeerRequestRetryException("this member is not the leader");
        }

        var request = new InternalRequest { MemberPromote = new MemberPromoteCommand { Id = id } };
        ApplyResult result = await ProposeMembershipChangeAsync(ConfChangeType.AddNode, id, request, cancellationToken).ConfigureAwait(false);
        return (MemberPromoteResponse)result.Response!;
    }

    /// <summary>
    /// MoveLeader: only the leader may hand over leadership, to a voting member; moving it to itself is a no-op.
    /// Completes when <paramref name="transfereeId"/> leads.
    /// </summary>
    public async Task MoveLeaderAsync(ulong transfereeId, CancellationToken cancellationToken)
    {
        bool done = await OnLoopAsync(() =>
        {
            if (!_isLeader)
            {
                throw NodeErrors.NotLeader.ToRpcException();
            }

            Member? target = FindMember(transfereeId);
            if (target is null || target.IsLearner)
            {
                throw NodeErrors.BadLeaderTransferee.ToRpcException();
            }

            if (transfereeId == MemberId)
            {
                return true;
            }

            _raft.TransferLeadership(transfereeId);
            return false;
        }).ConfigureAwait(false);
        while (!done && Volatile.Read(ref _leaderId) != transfereeId)
        {
            await Task.Delay(_options.TickInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>etcd's mayAddMember: a voter may be added only when enough voters are started (with its special case
    /// of a one-member cluster, which etcd allows to grow even though the new voter breaks quorum until it starts), and
    /// only when every voting member is connected.</summary>
    private bool CheckMayAddMember(bool isLearner)
    {
        List<Member> voters = VotingMembers();
        if (!isLearner)
        {
            int members = voters.Count + 1;
            int started = voters.Count(m => m.Name.Length > 0);
            bool oneMemberCluster = started == 1 && members == 2;
            if (!oneMemberCluster && started < (members / 2) + 1)
            {
                throw NotEnoughStartedMembers();
            }
        }

        if (voters.Any(m => !IsConnected(m.ID)))
        {
            throw UnhealthyCluster();
        }

        return true;
    }

    /// <summary>etcd's mayRemoveMember: learners go freely; removing a voter must leave a started quorum; a voter that
    /// is down may always go; otherwise the remaining active voters must still form a quorum.</summary>
    private bool CheckMayRemoveMember(ulong id)
    {
        Member? member = FindMember(id);
        if (member is { IsLearner: true })
        {
            return true;
        }

        List<Member> voters = VotingMembers();
        int remaining = voters.Count(m => m.ID != id);
        int remainingStarted = voters.Count(m => m.ID != id && m.Name.Length > 0);
        if (remainingStarted < (remaining / 2) + 1)
        {
            throw NotEnoughStartedMembers();
        }

        if (id != MemberId && !IsConnected(id, TimeSpan.Zero))
        {
            return true;
        }

        int active = voters.Count(m => IsConnected(m.ID));
        if (active - 1 < 1 + ((voters.Count - 1) / 2))
        {
            throw UnhealthyCluster();
        }

        return true;
    }

    /// <summary>etcd's mayPromoteMember: the leader must see the learner's log at 90 % of its own, and the promotion
    /// must leave a started quorum. False when this member is not the leader.</summary>
    private bool CheckMayPromoteMember(ulong id)
    {
        RaftStatus status = _raft.Status();
        if (status.SoftState.Role != RaftRole.Leader)
        {
            return false;
        }

        if (status.Progress.TryGetValue(id, out ProgressStatus learner)
            && learner.Match < status.Progress[MemberId].Match * LearnerReadyFraction)
        {
            throw NodeErrors.LearnerNotReady.ToRpcException();
        }

        List<Member> voters = VotingMembers();
        int members = voters.Count + 1;
        int started = voters.Count(m => m.Name.Length > 0) + 1;
        if (started < (members / 2) + 1)
        {
            throw NotEnoughStartedMembers();
        }

        return true;
    }

    /// <summary>Loop, when a leader is known: bootstrap the membership of a new cluster (leader), then publish this
    /// member's name and client URLs and the cluster version, one proposal at a time.</summary>
    private void MaybeBootstrapMembership()
    {
        if (_membershipSettled || _membershipProposalInFlight || _leaderId == 0)
        {
            return;
        }

        InternalRequest? request = null;
        if (!State.Cluster.IsBootstrapped)
        {
            if (_isLeader && _appliedIndex >= _raft.Status().HardState.Commit)
            {
                var bootstrap = new ClusterBootstrapCommand { ClusterId = ClusterId };
                bootstrap.Members.AddRange(InitialMembers(_options));
                request = new InternalRequest { ClusterBootstrap = bootstrap };
            }
        }
        else if (FindMember(MemberId) is Member self && !IsPublished(self))
        {
            var publish = new MemberPublishCommand { Id = MemberId, Name = _options.Name };
            publish.ClientUrls.AddRange(_options.ClientUrls);
            request = new InternalRequest { MemberPublish = publish };
        }
        else if (_isLeader && State.Cluster.ClusterVersion.Length == 0)
        {
            request = new InternalRequest { ClusterVersion = new ClusterVersionCommand { Version = Cairn.Protocol.EtcdCompatibility.ClusterVersion } };
        }

        if (request is not null)
        {
            _membershipProposalInFlight = true;
            ProposeInternal(request, _ => _membershipProposalInFlight = false);
        }
        else if (State.Cluster.IsBootstrapped && State.Cluster.ClusterVersion.Length > 0)
        {
            _membershipSettled = true;
        }
    }

    /// <summary>Loop: after the member list changed (applied entries or an installed snapshot), hands the transport the new
    /// list, and notices when this member itself was removed.</summary>
    private void PublishMembersIfChanged()
    {
        int generation = State.Cluster.Generation;
        if (generation == _membersGenerationSeen || !State.Cluster.IsBootstrapped)
        {
            return;
        }

        _membersGenerationSeen = generation;
        List<ulong> removed = State.Cluster.RemovedIds();
        _transport.MembersChanged([.. State.Cluster.List().Members], removed);
        if (_removedAtTimestamp == 0 && removed.Contains(MemberId))
        {
            NodeLog.Removed(_log, MemberId, "this member applied its own removal");
            _removedAtTimestamp = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Loop, every tick: a removed member stops once the removal had time to reach the others.</summary>
    private void StopIfRemoved(long now)
    {
        if (_removedAtTimestamp != 0 && Stopwatch.GetElapsedTime(_removedAtTimestamp, now) >= RemovalStopDelay)
        {
            _removal = new MemberRemovedException(MemberId);
            _stopRequested = true;
        }
    }

    /// <summary>A peer refused this member as removed (it missed the commit of its own removal). Thread-safe.</summary>
    internal void StopAsRemoved(ulong peerId)
    {
        _loopActions.Enqueue(() =>
        {
            if (_removedAtTimestamp == 0)
            {
                NodeLog.Removed(_log, MemberId, $"member {peerId:x} refused it as removed");
                _removedAtTimestamp = Stopwatch.GetTimestamp() - (long)(RemovalStopDelay.TotalSeconds * Stopwatch.Frequency);
            }
        });
        Wake();
    }

    private bool IsPublished(Member self) =>
        self.Name == _options.Name && self.ClientURLs.SequenceEqual(MemberUrls.Sorted(_options.ClientUrls));

    private Member? FindMember(ulong id)
    {
        foreach (Member member in State.Cluster.List().Members)
        {
            if (member.ID == id)
            {
                return member;
            }
        }

        return null;
    }

    private List<Member> VotingMembers() => State.Cluster.List().Members.Where(m => !m.IsLearner).ToList();

    /// <summary>Whether this member has had a stream to <paramref name="id"/> open for etcd's health interval (itself
    /// always counts): a member that just connected does not count yet, as in etcd.</summary>
    private bool IsConnected(ulong id) => IsConnected(id, HealthInterval);

    private bool IsConnected(ulong id, TimeSpan duration) => id == MemberId || _transport.IsConnected(id, duration);

    // etcd 3.4 returns this one untranslated (gRPC code Unknown), as observed on 3.4.23.
    private static Cairn.Protocol.Grpc.RpcException NotEnoughStartedMembers() =>
        new(Cairn.Protocol.Grpc.GrpcStatusCode.Unknown, NodeErrors.NotEnoughStartedMembers.Message);

    private static Cairn.Protocol.Grpc.RpcException UnhealthyCluster() =>
        new(Cairn.Protocol.Grpc.GrpcStatusCode.Unavailable, "etcdserver: unhealthy cluster");
}
