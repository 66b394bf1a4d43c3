using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;

namespace Cairn.Storage.Tests.Support;

/// <summary>Internal requests for state machine tests.</summary>
public static class Requests
{
    public static InternalRequest Put(string key, string value, long lease = 0) => new() { Put = Kv.Put(key, value, lease) };

    public static InternalRequest Delete(string key, string? rangeEnd = null) => new() { DeleteRange = Kv.Delete(key, rangeEnd) };

    public static InternalRequest Txn(TxnRequest txn) => new() { Txn = txn };

    public static InternalRequest Grant(long id, long ttl) => new() { LeaseGrant = new LeaseGrantRequest { ID = id, TTL = ttl } };

    public static InternalRequest Revoke(long id) => new() { LeaseRevoke = new LeaseRevokeRequest { ID = id } };

    public static InternalRequest Compact(long revision) => new() { Compaction = new CompactionRequest { Revision = revision } };

    public static InternalRequest Alarm(AlarmRequest.Types.AlarmAction action, AlarmType type, ulong member = 0xAA) =>
        new() { Alarm = new AlarmRequest { Action = action, Alarm = type, MemberID = member } };

    public static InternalRequest Bootstrap(ulong clusterId, ulong memberId, string peerUrl)
    {
        var member = new Member { ID = memberId, Name = "n1" };
        member.PeerURLs.Add(peerUrl);
        var command = new ClusterBootstrapCommand { ClusterId = clusterId };
        command.Members.Add(member);
        return new InternalRequest { ClusterBootstrap = command };
    }
}
