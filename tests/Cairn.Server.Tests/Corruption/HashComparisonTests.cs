using Cairn.Server.Corruption;

namespace Cairn.Server.Tests.Corruption;

/// <summary>Who is named corrupt from HashKV answers at one revision.</summary>
public class HashComparisonTests
{
    private static MemberHash M(ulong id, uint hash, long compact = 5) => new(id, hash, compact);

    [Fact]
    public void Members_that_agree_name_nobody()
    {
        Assert.Empty(HashComparison.FindCorrupt(M(1, 42), [M(2, 42), M(3, 42)]));
    }

    [Fact]
    public void A_peer_outvoted_by_the_majority_is_named()
    {
        Assert.Equal([3UL], HashComparison.FindCorrupt(M(1, 42), [M(2, 42), M(3, 7)]));
    }

    [Fact]
    public void This_member_outvoted_by_its_peers_names_itself()
    {
        Assert.Equal([1UL], HashComparison.FindCorrupt(M(1, 7), [M(2, 42), M(3, 42)]));
    }

    [Fact]
    public void Two_of_five_outvoted_are_both_named()
    {
        Assert.Equal([4UL, 5UL], HashComparison.FindCorrupt(M(1, 42), [M(2, 42), M(3, 42), M(4, 7), M(5, 8)]).Order());
    }

    [Fact]
    public void Without_a_majority_this_member_names_itself()
    {
        Assert.Equal([1UL], HashComparison.FindCorrupt(M(1, 42), [M(2, 7)]));
        Assert.Equal([1UL], HashComparison.FindCorrupt(M(1, 42), [M(2, 7), M(3, 8)]));
    }

    [Fact]
    public void Peers_hashed_under_another_compaction_are_not_compared()
    {
        Assert.Empty(HashComparison.FindCorrupt(M(1, 42), [M(2, 42), M(3, 7, compact: 9)]));
        Assert.Equal([3UL], HashComparison.FindCorrupt(M(1, 42), [M(2, 42), M(3, 7), M(4, 8, compact: 9)]));
    }

    [Fact]
    public void Alone_there_is_nothing_to_compare()
    {
        Assert.Empty(HashComparison.FindCorrupt(M(1, 42), []));
    }
}
