using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Output;

/// <summary>
/// <c>-w json</c>: one line of Go encoding/json per response. KV, member and alarm responses are encoded as etcd's
/// protobuf structs; lease and watch responses as the clientv3 structs etcdctl prints, which flatten the header
/// into the top level (lease) or use Go field names (watch: <c>Header</c>, <c>Events</c>, ...).
/// </summary>
public sealed class JsonPrinter : ResponsePrinter
{
    /// <summary>Creates the printer.</summary>
    public JsonPrinter(OutputBuffer output, TextWriter error)
        : base(OutputFormat.Json, output, error)
    {
    }

    /// <inheritdoc />
    public override void Get(RangeResponse response) => Line(json => EtcdJson.Range(json, response));

    /// <inheritdoc />
    public override void Put(PutResponse response) => Line(json => EtcdJson.Put(json, response));

    /// <inheritdoc />
    public override void Del(DeleteRangeResponse response) => Line(json => EtcdJson.Delete(json, response));

    /// <inheritdoc />
    public override void Txn(TxnResponse response) => Line(json => EtcdJson.Txn(json, response));

    /// <inheritdoc />
    public override void Watch(WatchResponse response) => Line(json =>
    {
        json.BeginObject().BeginObject("Header");
        EtcdJson.HeaderFields(json, response.Header);
        json.EndObject().BeginArray("Events");
        foreach (var watchEvent in response.Events)
        {
            EtcdJson.Event(json, watchEvent);
        }
        json.EndArray()
            .Number("CompactRevision", response.CompactRevision)
            .Bool("Canceled", response.Canceled)
            .Bool("Created", response.Created)
            .EndObject();
    });

    /// <inheritdoc />
    public override void Grant(LeaseGrantResponse response) => Line(json =>
    {
        json.BeginObject();
        EtcdJson.HeaderFields(json, response.Header);
        json.Number("ID", response.ID).Number("TTL", response.TTL).String("Error", response.Error).EndObject();
    });

    /// <inheritdoc />
    public override void Revoke(long leaseId, LeaseRevokeResponse response) => Line(json =>
    {
        json.BeginObject();
        EtcdJson.Header(json, response.Header);
        json.EndObject();
    });

    /// <inheritdoc />
    public override void KeepAlive(LeaseKeepAliveResponse response) => Line(json =>
    {
        json.BeginObject();
        EtcdJson.HeaderFields(json, response.Header);
        json.Number("ID", response.ID).Number("TTL", response.TTL).EndObject();
    });

    /// <inheritdoc />
    public override void TimeToLive(LeaseTimeToLiveResponse response, bool keys) => Line(json =>
    {
        json.BeginObject();
        EtcdJson.HeaderFields(json, response.Header);
        json.Number("id", response.ID).Number("ttl", response.TTL).Number("granted-ttl", response.GrantedTTL);
        if (response.Keys.Count == 0)
        {
            json.Null("keys");
        }
        else
        {
            json.BeginArray("keys");
            foreach (var key in response.Keys)
            {
                json.Bytes(key.Span);
            }
            json.EndArray();
        }
        json.EndObject();
    });

    /// <inheritdoc />
    public override void Leases(LeaseLeasesResponse response) => Line(json =>
    {
        json.BeginObject();
        EtcdJson.HeaderFields(json, response.Header);
        json.BeginArray("leases");
        foreach (var lease in response.Leases)
        {
            json.BeginObject().Number("id", lease.ID).EndObject();
        }
        json.EndArray().EndObject();
    });

    /// <inheritdoc />
    public override void MemberAdd(MemberAddResponse response) => Line(json =>
    {
        json.BeginObject();
        EtcdJson.Header(json, response.Header);
        if (response.Member is not null)
        {
            json.Name("member");
            EtcdJson.Member(json, response.Member);
        }
        EtcdJson.Members(json, response.Members);
        json.EndObject();
    });

    /// <inheritdoc />
    public override void MemberRemove(ulong memberId, MemberRemoveResponse response) => Members(response.Header, response.Members);

    /// <inheritdoc />
    public override void MemberUpdate(ulong memberId, MemberUpdateResponse response) => Members(response.Header, response.Members);

    /// <inheritdoc />
    public override void MemberPromote(ulong memberId, MemberPromoteResponse response) => Members(response.Header, response.Members);

    /// <inheritdoc />
    public override void MemberList(MemberListResponse response) => Members(response.Header, response.Members);

    /// <inheritdoc />
    public override void EndpointHealth(IReadOnlyList<EndpointHealth> health) => Line(json =>
    {
        json.BeginArray();
        foreach (var entry in health)
        {
            json.BeginObject().String("endpoint", entry.Endpoint).Bool("health", entry.Health).String("took", entry.Took);
            if (entry.Error.Length > 0)
            {
                json.String("error", entry.Error);
            }
            json.EndObject();
        }
        json.EndArray();
    });

    /// <inheritdoc />
    public override void EndpointStatus(IReadOnlyList<EndpointStatus> statuses) => Line(json =>
    {
        json.BeginArray();
        foreach (var (endpoint, status) in statuses)
        {
            json.BeginObject().String("Endpoint", endpoint).Name("Status");
            EtcdJson.Status(json, status);
            json.EndObject();
        }
        json.EndArray();
    });

    /// <inheritdoc />
    public override void EndpointHashKV(IReadOnlyList<EndpointHash> hashes) => Line(json =>
    {
        json.BeginArray();
        foreach (var (endpoint, hash) in hashes)
        {
            json.BeginObject().String("Endpoint", endpoint).Name("HashKV");
            EtcdJson.HashKV(json, hash);
            json.EndObject();
        }
        json.EndArray();
    });

    /// <inheritdoc />
    public override void MoveLeader(ulong leaderId, ulong targetId, MoveLeaderResponse response) => Line(json =>
    {
        json.BeginObject();
        EtcdJson.Header(json, response.Header);
        json.EndObject();
    });

    /// <inheritdoc />
    public override void Alarm(AlarmResponse response) => Line(json => EtcdJson.Alarm(json, response));

    private void Members(ResponseHeader? header, IReadOnlyList<Member> members) => Line(json =>
    {
        json.BeginObject();
        EtcdJson.Header(json, header);
        EtcdJson.Members(json, members);
        json.EndObject();
    });

    private void Line(Action<GoJsonWriter> write)
    {
        write(new GoJsonWriter(Output));
        Output.NewLine();
    }
}
