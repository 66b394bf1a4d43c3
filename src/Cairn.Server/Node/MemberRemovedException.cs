namespace Cairn.Server.Node;

/// <summary>Why a member stopped after it was removed from its cluster (etcd's words); not a failure: the process
/// exits with status 0, as etcd's does, so a service manager does not restart a member that may never rejoin.</summary>
public sealed class MemberRemovedException(ulong memberId)
    : Exception($"member {memberId:x}: the member has been permanently removed from the cluster")
{
    /// <summary>The removed member.</summary>
    public ulong MemberId { get; } = memberId;
}
