namespace Cairn.Server.Corruption;

/// <summary>One member's HashKV at the compared revision.</summary>
/// <param name="MemberId">The member.</param>
/// <param name="Hash">Its hash of the key-value history up to the revision.</param>
/// <param name="CompactRevision">The compaction revision its hash was computed under.</param>
public readonly record struct MemberHash(ulong MemberId, uint Hash, long CompactRevision);

/// <summary>Decides, from HashKV answers at one revision, which members hold a different key-value history.</summary>
public static class HashComparison
{
    /// <summary>
    /// The members whose history differs. Only peers that hashed under the same compaction revision as this member
    /// are compared: compaction decides which records count, so hashes under different compactions legitimately
    /// differ (etcd skips those too). When one hash is held by a strict majority of the compared members, every
    /// member with another hash is named; without a majority this member cannot tell who is right and names itself,
    /// which still stops the cluster's writes through the alarm. Empty when all agree.
    /// </summary>
    public static IReadOnlyList<ulong> FindCorrupt(MemberHash self, IEnumerable<MemberHash> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        List<MemberHash> compared = [self, .. peers.Where(peer => peer.CompactRevision == self.CompactRevision)];
        if (compared.TrueForAll(member => member.Hash == self.Hash))
        {
            return [];
        }

        IGrouping<uint, MemberHash> largest = compared.GroupBy(member => member.Hash).MaxBy(group => group.Count())!;
        return largest.Count() * 2 > compared.Count
            ? compared.Where(member => member.Hash != largest.Key).Select(member => member.MemberId).ToList()
            : [self.MemberId];
    }
}
