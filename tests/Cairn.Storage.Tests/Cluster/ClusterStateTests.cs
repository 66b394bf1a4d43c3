using Cairn.Protocol.Etcd;
using Cairn.Storage.Cluster;
using static Cairn.Storage.Tests.Support.Kv;

namespace Cairn.Storage.Tests.Cluster;

/// <summary>Membership changes and their etcd errors (reference §3.1, §4.9).</summary>
public sealed class ClusterStateTests
{
    private readonly ClusterState _cluster = new();

    public ClusterStateTests()
    {
        _cluster.Bootstrap(99, [Member(10, "http://10.0.0.1:2380")]);
    }

    private static Member Member(ulong id, string peerUrl, bool learner = false)
    {
        var member = new Member { ID = id, IsLearner = learner };
        member.PeerURLs.Add(peerUrl);
        return member;
    }

    [Fact]
    public void Ids_match_what_etcd_derives()
    {
        // A real etcd 3.4.23 started with --initial-cluster x=http://127.0.0.1:24999 (token "etcd-cluster")
        // reported member_id 16694209735470997472 and cluster_id 15026016918487770221.
        ulong member = MemberIds.ForMember(["http://127.0.0.1:24999"], "etcd-cluster");
        Assert.Equal(16694209735470997472UL, member);
        Assert.Equal(15026016918487770221UL, MemberIds.ForCluster([member]));
    }

    [Fact]
    public void Add_returns_the_member_and_the_list_sorted_by_id()
    {
        MemberAddResponse response = _cluster.Add(Member(5, "http://10.0.0.2:2380", learner: true));
        Assert.Equal(5UL, response.Member.ID);
        Assert.True(response.Member.IsLearner);
        Assert.Equal([5UL, 10UL], response.Members.Select(m => m.ID));
        Assert.Equal(string.Empty, response.Member.Name);
    }

    [Fact]
    public void Add_rejects_existing_ids_used_peer_urls_bad_urls_and_a_second_learner()
    {
        Assert.Same(EtcdError.MemberExists, ErrorOf(() => _cluster.Add(Member(10, "http://10.0.0.9:2380"))));
        Assert.Same(EtcdError.PeerUrlExists, ErrorOf(() => _cluster.Add(Member(11, "http://10.0.0.1:2380"))));
        Assert.Same(EtcdError.MemberBadUrls, ErrorOf(() => _cluster.Add(Member(11, "notaurl"))));
        Assert.Same(EtcdError.MemberBadUrls, ErrorOf(() => _cluster.Add(Member(11, "http://10.0.0.3"))));
        Assert.Same(EtcdError.MemberBadUrls, ErrorOf(() => _cluster.Add(Member(11, "http://10.0.0.3:2380/path"))));
        _cluster.Add(Member(11, "https://10.0.0.3:2380", learner: true));
        Assert.Same(EtcdError.TooManyLearners, ErrorOf(() => _cluster.Add(Member(12, "http://10.0.0.4:2380", learner: true))));
    }

    [Fact]
    public void Remove_update_and_promote_of_unknown_members_are_member_not_found()
    {
        Assert.Same(EtcdError.MemberNotFound, ErrorOf(() => _cluster.Remove(42)));
        Assert.Same(EtcdError.MemberNotFound, ErrorOf(() => _cluster.Update(42, ["http://1.2.3.4:2380"])));
        Assert.Same(EtcdError.MemberNotFound, ErrorOf(() => _cluster.Promote(42)));
    }

    [Fact]
    public void Removed_ids_cannot_come_back()
    {
        _cluster.Add(Member(20, "http://10.0.0.2:2380"));
        Assert.Equal([10UL], _cluster.Remove(20).Members.Select(m => m.ID));
        Assert.Equal([20UL], _cluster.RemovedIds());
        Assert.Same(EtcdError.MemberNotFound, ErrorOf(() => _cluster.Add(Member(20, "http://10.0.0.5:2380"))));
    }

    [Fact]
    public void Promote_only_learners_and_update_checks_other_members_urls()
    {
        Assert.Same(EtcdError.MemberNotLearner, ErrorOf(() => _cluster.Promote(10)));
        _cluster.Add(Member(20, "http://10.0.0.2:2380", learner: true));
        Assert.False(_cluster.Promote(20).Members.Single(m => m.ID == 20).IsLearner);
        Assert.Same(EtcdError.PeerUrlExists, ErrorOf(() => _cluster.Update(20, ["http://10.0.0.1:2380"])));
        _cluster.Update(10, ["http://10.0.0.1:2380", "http://10.0.0.0:2380"]);
        Assert.Equal(["http://10.0.0.0:2380", "http://10.0.0.1:2380"], _cluster.List().Members.Single(m => m.ID == 10).PeerURLs);
    }

    [Fact]
    public void Publish_sets_name_and_client_urls_and_bootstrap_happens_once()
    {
        _cluster.Publish(10, "node-a", ["http://10.0.0.1:2379"]);
        Member member = _cluster.List().Members.Single();
        Assert.Equal("node-a", member.Name);
        Assert.Equal(["http://10.0.0.1:2379"], member.ClientURLs);
        Assert.Throws<EtcdException>(() => _cluster.Bootstrap(5, []));
        Assert.Equal(99UL, _cluster.ClusterId);
    }
}
