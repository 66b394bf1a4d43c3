using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Output;

/// <summary><c>-w fields</c>: one <c>"Name" : value</c> line per field, strings quoted as Go's %q.</summary>
public sealed class FieldsPrinter : ResponsePrinter
{
    /// <summary>Creates the printer.</summary>
    public FieldsPrinter(OutputBuffer output, TextWriter error)
        : base(OutputFormat.Fields, output, error)
    {
    }

    /// <inheritdoc />
    public override void Get(RangeResponse response)
    {
        Header(response.Header);
        foreach (var kv in response.Kvs)
        {
            KeyValueFields("", kv);
        }
        Field("More", response.More);
        Field("Count", response.Count);
    }

    /// <inheritdoc />
    public override void Put(PutResponse response)
    {
        Header(response.Header);
        if (response.PrevKv is not null)
        {
            KeyValueFields("Prev", response.PrevKv);
        }
    }

    /// <inheritdoc />
    public override void Del(DeleteRangeResponse response)
    {
        Header(response.Header);
        Field("Deleted", response.Deleted);
        foreach (var kv in response.PrevKvs)
        {
            KeyValueFields("Prev", kv);
        }
    }

    /// <inheritdoc />
    public override void Txn(TxnResponse response)
    {
        Header(response.Header);
        Field("Succeeded", response.Succeeded);
        foreach (var op in response.Responses)
        {
            switch (op.ResponseCase)
            {
                case ResponseOp.ResponseOneofCase.ResponseRange: Get(op.ResponseRange); break;
                case ResponseOp.ResponseOneofCase.ResponsePut: Put(op.ResponsePut); break;
                case ResponseOp.ResponseOneofCase.ResponseDeleteRange: Del(op.ResponseDeleteRange); break;
                case ResponseOp.ResponseOneofCase.ResponseTxn:
                    Quoted("Unknown", "&{ResponseTxn:" + ProtoText.Of(op.ResponseTxn) + "}");
                    break;
                default: Quoted("Unknown", "<nil>"); break;
            }
        }
    }

    /// <inheritdoc />
    public override void Watch(WatchResponse response)
    {
        Header(response.Header);
        foreach (var watchEvent in response.Events)
        {
            Output.Append("\"Type\" : ").Line(watchEvent.Type == Event.Types.EventType.Delete ? "DELETE" : "PUT");
            if (watchEvent.PrevKv is not null)
            {
                KeyValueFields("Prev", watchEvent.PrevKv);
            }
            KeyValueFields("", watchEvent.Kv ?? new KeyValue());
        }
    }

    /// <inheritdoc />
    public override void Grant(LeaseGrantResponse response)
    {
        Header(response.Header);
        Field("ID", response.ID);
        Field("TTL", response.TTL);
    }

    /// <inheritdoc />
    public override void Revoke(long leaseId, LeaseRevokeResponse response) => Header(response.Header);

    /// <inheritdoc />
    public override void KeepAlive(LeaseKeepAliveResponse response)
    {
        Header(response.Header);
        Field("ID", response.ID);
        Field("TTL", response.TTL);
    }

    /// <inheritdoc />
    public override void TimeToLive(LeaseTimeToLiveResponse response, bool keys)
    {
        Header(response.Header);
        Field("ID", response.ID);
        Field("TTL", response.TTL);
        Field("GrantedTTL", response.GrantedTTL);
        foreach (var key in response.Keys)
        {
            Output.Append("\"Key\" : ");
            GoText.AppendQuoted(Output, key.Span).NewLine();
        }
    }

    /// <inheritdoc />
    public override void Leases(LeaseLeasesResponse response)
    {
        Header(response.Header);
        foreach (var lease in response.Leases)
        {
            Field("ID", lease.ID);
        }
    }

    /// <inheritdoc />
    public override void MemberList(MemberListResponse response)
    {
        Header(response.Header);
        foreach (var member in response.Members)
        {
            Field("ID", member.ID);
            Quoted("Name", member.Name);
            foreach (string url in member.PeerURLs)
            {
                Quoted("PeerURL", url);
            }
            foreach (string url in member.ClientURLs)
            {
                Quoted("ClientURL", url);
            }
            Field("IsLearner", member.IsLearner);
            Output.NewLine();
        }
    }

    /// <inheritdoc />
    public override void EndpointHealth(IReadOnlyList<EndpointHealth> health)
    {
        foreach (var entry in health)
        {
            Quoted("Endpoint", entry.Endpoint);
            Field("Health", entry.Health);
            Output.Append("\"Took\" : ").Line(entry.Took);
            Output.Append("\"Error\" : ").Line(entry.Error);
            Output.NewLine();
        }
    }

    /// <inheritdoc />
    public override void EndpointStatus(IReadOnlyList<EndpointStatus> statuses)
    {
        foreach (var (endpoint, status) in statuses)
        {
            Header(status.Header);
            Quoted("Version", status.Version);
            Field("DBSize", status.DbSize);
            Field("Leader", status.Leader);
            Field("IsLearner", status.IsLearner);
            Field("RaftIndex", status.RaftIndex);
            Field("RaftTerm", status.RaftTerm);
            Field("RaftAppliedIndex", status.RaftAppliedIndex);
            Output.Append("\"Errors\" : ").Line(GoText.StringSlice(status.Errors));
            Quoted("Endpoint", endpoint);
            Output.NewLine();
        }
    }

    /// <inheritdoc />
    public override void EndpointHashKV(IReadOnlyList<EndpointHash> hashes)
    {
        foreach (var (endpoint, hash) in hashes)
        {
            Header(hash.Header);
            Quoted("Endpoint", endpoint);
            Field("Hash", (ulong)hash.Hash);
            Output.NewLine();
        }
    }

    /// <inheritdoc />
    public override void Alarm(AlarmResponse response)
    {
        // etcdctl 3.4 crashes here on the header-less 3.4 alarm response; Cairn prints the missing header as zeros.
        Header(response.Header);
        foreach (var alarm in response.Alarms)
        {
            Field("MemberID", alarm.MemberID);
            Output.Append("\"AlarmType\" : ").Line(ProtoText.AlarmName(alarm.Alarm));
            Output.NewLine();
        }
    }

    private void Header(ResponseHeader? header)
    {
        header ??= new ResponseHeader();
        Field("ClusterID", header.ClusterId);
        Field("MemberID", header.MemberId);
        Field("Revision", header.Revision);
        Field("RaftTerm", header.RaftTerm);
    }

    private void KeyValueFields(string prefix, KeyValue kv)
    {
        Output.Append($"\"{prefix}Key\" : ");
        GoText.AppendQuoted(Output, kv.Key.Span).NewLine();
        Field(prefix + "CreateRevision", kv.CreateRevision);
        Field(prefix + "ModRevision", kv.ModRevision);
        Field(prefix + "Version", kv.Version);
        Output.Append($"\"{prefix}Value\" : ");
        GoText.AppendQuoted(Output, kv.Value.Span).NewLine();
        Field(prefix + "Lease", kv.Lease);
    }

    private void Field(string name, long value) => Output.Append('"').Append(name).Append("\" : ").Append(value).NewLine();

    private void Field(string name, ulong value) => Output.Append('"').Append(name).Append("\" : ").Append(value).NewLine();

    private void Field(string name, bool value) => Output.Append('"').Append(name).Append("\" : ").Append(value).NewLine();

    private void Quoted(string name, string value)
    {
        Output.Append('"').Append(name).Append("\" : ");
        GoText.AppendQuoted(Output, value).NewLine();
    }
}
