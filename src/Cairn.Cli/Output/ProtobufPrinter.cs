using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Output;

/// <summary>
/// <c>-w protobuf</c>: the raw protobuf bytes of the response, no trailing newline. Like etcdctl 3.4, the lease
/// verbs print only the encoded response header (etcdctl marshals the clientv3 struct, whose only protobuf part is
/// the embedded header), <c>lease revoke</c> and the endpoint verbs are unsupported, and watch prints each
/// response rebuilt from the fields clientv3 keeps.
/// </summary>
public sealed class ProtobufPrinter : ResponsePrinter
{
    /// <summary>Creates the printer.</summary>
    public ProtobufPrinter(OutputBuffer output, TextWriter error)
        : base(OutputFormat.Protobuf, output, error)
    {
    }

    /// <inheritdoc />
    public override void Get(RangeResponse response) => Write(response);

    /// <inheritdoc />
    public override void Put(PutResponse response) => Write(response);

    /// <inheritdoc />
    public override void Del(DeleteRangeResponse response) => Write(response);

    /// <inheritdoc />
    public override void Txn(TxnResponse response) => Write(response);

    /// <inheritdoc />
    public override void Watch(WatchResponse response)
    {
        var kept = new WatchResponse
        {
            Header = response.Header ?? new ResponseHeader(),
            CompactRevision = response.CompactRevision,
            Canceled = response.Canceled,
            Created = response.Created,
        };
        kept.Events.AddRange(response.Events);
        Write(kept);
    }

    /// <inheritdoc />
    public override void Grant(LeaseGrantResponse response) => WriteHeaderOnly(response.Header);

    /// <inheritdoc />
    public override void Revoke(long leaseId, LeaseRevokeResponse response) =>
        throw CliException.BadFeature(
            $"marshal unsupported for type clientv3.LeaseRevokeResponse ({{{(response.Header is null ? "<nil>" : ProtoText.Of(response.Header))}}})");

    /// <inheritdoc />
    public override void KeepAlive(LeaseKeepAliveResponse response) => WriteHeaderOnly(response.Header);

    /// <inheritdoc />
    public override void TimeToLive(LeaseTimeToLiveResponse response, bool keys) => WriteHeaderOnly(response.Header);

    /// <inheritdoc />
    public override void Leases(LeaseLeasesResponse response) => WriteHeaderOnly(response.Header);

    /// <inheritdoc />
    public override void MemberAdd(MemberAddResponse response) => Write(response);

    /// <inheritdoc />
    public override void MemberRemove(ulong memberId, MemberRemoveResponse response) => Write(response);

    /// <inheritdoc />
    public override void MemberUpdate(ulong memberId, MemberUpdateResponse response) => Write(response);

    /// <inheritdoc />
    public override void MemberPromote(ulong memberId, MemberPromoteResponse response) => Write(response);

    /// <inheritdoc />
    public override void MemberList(MemberListResponse response) => Write(response);

    /// <inheritdoc />
    public override void MoveLeader(ulong leaderId, ulong targetId, MoveLeaderResponse response) => Write(response);

    /// <inheritdoc />
    public override void Alarm(AlarmResponse response) => Write(response);

    private void WriteHeaderOnly(ResponseHeader? header) => Write(header ?? new ResponseHeader());

    private void Write(IMessage message) => Output.AppendBytes(message.ToByteArray());
}
