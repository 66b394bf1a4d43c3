using Cairn.Protocol.Grpc;
using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Cluster;

/// <summary>
/// Membership: cluster ID, members (ID, name, peer and client URLs, learner flag), removed member IDs and the cluster
/// version, changed only through apply with etcd's errors (reference §3.1, §4.9). Reads are thread-safe.
/// </summary>
public sealed class ClusterState
{
    private readonly SortedDictionary<ulong, Member> _members = [];
    private readonly SortedSet<ulong> _removed = [];
    private readonly object _lock = new();
    private readonly int _maxLearners;
    private int _generation;

    /// <summary>Creates empty membership; <paramref name="maxLearners"/> is etcd's learner limit (1).</summary>
    public ClusterState(int maxLearners = 1)
    {
        _maxLearners = maxLearners;
    }

    /// <summary>The cluster ID (0 until bootstrapped).</summary>
    public ulong ClusterId { get; private set; }

    /// <summary>The cluster version string (e.g. "3.4.0"); empty until set.</summary>
    public string ClusterVersion { get; private set; } = "";

    /// <summary>IDs of removed members (they may never rejoin).</summary>
    public List<ulong> RemovedIds()
    {
        lock (_lock)
        {
            return [.. _removed];
        }
    }

    /// <summary>Grows with every change of the member list (IDs, URLs, names, learner flags, removals): a cheap way for
    /// the peer transport's owner to notice that it must refresh its view of the members.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>True once the initial membership was applied.</summary>
    public bool IsBootstrapped => ClusterId != 0;

    /// <summary>Sets the cluster ID and initial members; fails if already bootstrapped. Apply thread.</summary>
    public void Bootstrap(ulong clusterId, IEnumerable<Member> members)
    {
        lock (_lock)
        {
            if (IsBootstrapped)
            {
                throw new EtcdException(GrpcStatusCode.FailedPrecondition, "etcdserver: cluster is already bootstrapped");
            }

            if (clusterId == 0)
            {
                throw new EtcdException(GrpcStatusCode.InvalidArgument, "etcdserver: cluster ID must not be 0");
            }

            foreach (Member member in members)
            {
                ValidateNew(member);
                _members.Add(member.ID, Normalized(member));
            }

            ClusterId = clusterId;
            Changed();
        }
    }

    /// <summary>Applies MemberAdd. Apply thread.</summary>
    public MemberAddResponse Add(Member member)
    {
        lock (_lock)
        {
            ValidateNew(member);
            Member added = Normalized(member);
            _members.Add(added.ID, added);
            Changed();
            var response = new MemberAddResponse { Member = added.Clone() };
            response.Members.AddRange(Snapshot());
            return response;
        }
    }

    /// <summary>Applies MemberRemove. Apply thread.</summary>
    public MemberRemoveResponse Remove(ulong id)
    {
        lock (_lock)
        {
            if (!_members.Remove(id))
            {
                throw EtcdError.MemberNotFound.ToException();
            }

            _removed.Add(id);
            Changed();
            var response = new MemberRemoveResponse();
            response.Members.AddRange(Snapshot());
            return response;
        }
    }

    /// <summary>Applies MemberUpdate (new peer URLs). Apply thread.</summary>
    public MemberUpdateResponse Update(ulong id, IReadOnlyCollection<string> peerUrls)
    {
        lock (_lock)
        {
            Member member = Existing(id);
            if (!MemberUrls.AreValid(peerUrls))
            {
                throw EtcdError.MemberBadUrls.ToException();
            }

            ThrowIfPeerUrlsTaken(peerUrls, exceptId: id);
            member.PeerURLs.Clear();
            member.PeerURLs.AddRange(MemberUrls.Sorted(peerUrls));
            Changed();
            var response = new MemberUpdateResponse();
            response.Members.AddRange(Snapshot());
            return response;
        }
    }

    /// <summary>Applies MemberPromote (learner to voter). Apply thread.</summary>
    public MemberPromoteResponse Promote(ulong id)
    {
        lock (_lock)
        {
            Member member = Existing(id);
            if (!member.IsLearner)
            {
                throw EtcdError.MemberNotLearner.ToException();
            }

            member.IsLearner = false;
            Changed();
            var response = new MemberPromoteResponse();
            response.Members.AddRange(Snapshot());
            return response;
        }
    }

    /// <summary>Applies a member's published attributes (name and client URLs, sent when it starts). Apply thread.</summary>
    public void Publish(ulong id, string name, IEnumerable<string> clientUrls)
    {
        lock (_lock)
        {
            Member member = Existing(id);
            member.Name = name;
            member.ClientURLs.Clear();
            member.ClientURLs.AddRange(MemberUrls.Sorted(clientUrls));
            Changed();
        }
    }

    /// <summary>Sets the cluster version. Apply thread.</summary>
    public void SetVersion(string version)
    {
        lock (_lock)
        {
            ClusterVersion = version;
        }
    }

    /// <summary>MemberList: every member, sorted by ID (copies).</summary>
    public MemberListResponse List()
    {
        var response = new MemberListResponse();
        lock (_lock)
        {
            response.Members.AddRange(Snapshot());
        }

        return response;
    }

    /// <summary>Replaces all membership state (snapshot restore). Apply thread.</summary>
    public void Restore(ulong clusterId, string clusterVersion, IEnumerable<Member> members, IEnumerable<ulong> removed)
    {
        lock (_lock)
        {
            _members.Clear();
            _removed.Clear();
            foreach (Member member in members)
            {
                _members[member.ID] = member.Clone();
            }

            _removed.UnionWith(removed);
            ClusterId = clusterId;
            ClusterVersion = clusterVersion;
            Changed();
        }
    }

    private void Changed() => Interlocked.Increment(ref _generation);

    private void ValidateNew(Member member)
    {
        if (_members.ContainsKey(member.ID) || member.ID == 0)
        {
            throw EtcdError.MemberExists.ToException();
        }

        if (_removed.Contains(member.ID))
        {
            throw EtcdError.MemberNotFound.ToException();
        }

        if (!MemberUrls.AreValid(member.PeerURLs))
        {
            throw EtcdError.MemberBadUrls.ToException();
        }

        ThrowIfPeerUrlsTaken(member.PeerURLs, exceptId: 0);
        if (member.IsLearner && _members.Values.Count(m => m.IsLearner) >= _maxLearners)
        {
            throw EtcdError.TooManyLearners.ToException();
        }
    }

    private void ThrowIfPeerUrlsTaken(IEnumerable<string> peerUrls, ulong exceptId)
    {
        foreach (Member other in _members.Values)
        {
            if (other.ID != exceptId && other.PeerURLs.Intersect(peerUrls, StringComparer.Ordinal).Any())
            {
                throw EtcdError.PeerUrlExists.ToException();
            }
        }
    }

    private Member Existing(ulong id) =>
        _members.TryGetValue(id, out Member? member) ? member : throw EtcdError.MemberNotFound.ToException();

    private static Member Normalized(Member member)
    {
        Member copy = member.Clone();
        copy.PeerURLs.Clear();
        copy.PeerURLs.AddRange(MemberUrls.Sorted(member.PeerURLs));
        copy.ClientURLs.Clear();
        copy.ClientURLs.AddRange(MemberUrls.Sorted(member.ClientURLs));
        return copy;
    }

    private List<Member> Snapshot() => _members.Values.Select(m => m.Clone()).ToList();
}
