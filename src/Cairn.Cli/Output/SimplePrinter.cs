using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Output;

/// <summary>etcdctl's default human-readable format (<c>-w simple</c>).</summary>
public sealed class SimplePrinter : ResponsePrinter
{
    private readonly bool hex;

    /// <summary>Creates the printer; <paramref name="hex"/> prints keys and values as \xNN escapes (<c>--hex</c>).</summary>
    public SimplePrinter(bool hex, OutputBuffer output, TextWriter error)
        : base(OutputFormat.Simple, output, error)
    {
        this.hex = hex;
    }

    /// <summary>Prints only values, not keys (<c>get --print-value-only</c>).</summary>
    public bool ValueOnly { get; set; }

    /// <inheritdoc />
    public override void Get(RangeResponse response)
    {
        foreach (var kv in response.Kvs)
        {
            PrintKeyValue(kv);
        }
    }

    /// <inheritdoc />
    public override void Put(PutResponse response)
    {
        Output.Line("OK");
        if (response.PrevKv is not null)
        {
            PrintKeyValue(response.PrevKv);
        }
    }

    /// <inheritdoc />
    public override void Del(DeleteRangeResponse response)
    {
        Output.Append(response.Deleted).NewLine();
        foreach (var kv in response.PrevKvs)
        {
            PrintKeyValue(kv);
        }
    }

    /// <inheritdoc />
    public override void Txn(TxnResponse response)
    {
        Output.Line(response.Succeeded ? "SUCCESS" : "FAILURE");
        foreach (var op in response.Responses)
        {
            Output.NewLine();
            switch (op.ResponseCase)
            {
                case ResponseOp.ResponseOneofCase.ResponseRange: Get(op.ResponseRange); break;
                case ResponseOp.ResponseOneofCase.ResponsePut: Put(op.ResponsePut); break;
                case ResponseOp.ResponseOneofCase.ResponseDeleteRange: Del(op.ResponseDeleteRange); break;
                default: Output.Append("unexpected response ").Line(ProtoText.Of(op)); break;
            }
        }
    }

    /// <inheritdoc />
    public override void Watch(WatchResponse response)
    {
        foreach (var watchEvent in response.Events)
        {
            Output.Line(watchEvent.Type == Event.Types.EventType.Delete ? "DELETE" : "PUT");
            if (watchEvent.PrevKv is not null)
            {
                PrintKeyValue(watchEvent.PrevKv);
            }
            PrintKeyValue(watchEvent.Kv ?? new KeyValue());
        }
    }

    /// <inheritdoc />
    public override void Grant(LeaseGrantResponse response) =>
        Output.Line($"lease {GoText.LeaseHex(response.ID)} granted with TTL({response.TTL}s)");

    /// <inheritdoc />
    public override void Revoke(long leaseId, LeaseRevokeResponse response) =>
        Output.Line($"lease {GoText.LeaseHex(leaseId)} revoked");

    /// <inheritdoc />
    public override void KeepAlive(LeaseKeepAliveResponse response) =>
        Output.Line($"lease {GoText.LeaseHex(response.ID)} keepalived with TTL({response.TTL})");

    /// <inheritdoc />
    public override void TimeToLive(LeaseTimeToLiveResponse response, bool keys)
    {
        if (response.GrantedTTL == 0 && response.TTL == -1)
        {
            Output.Line($"lease {GoText.LeaseHex(response.ID)} already expired");
            return;
        }
        Output.Append($"lease {GoText.LeaseHex(response.ID)} granted with TTL({response.GrantedTTL}s), remaining({response.TTL}s)");
        if (keys)
        {
            Output.Append(", attached keys([");
            for (int index = 0; index < response.Keys.Count; index++)
            {
                if (index > 0)
                {
                    Output.Append(' ');
                }
                Output.AppendBytes(response.Keys[index].Span);
            }
            Output.Append("])");
        }
        Output.NewLine();
    }

    /// <inheritdoc />
    public override void Leases(LeaseLeasesResponse response)
    {
        Output.Line($"found {response.Leases.Count} leases");
        foreach (var lease in response.Leases)
        {
            Output.Line(GoText.LeaseHex(lease.ID));
        }
    }

    /// <inheritdoc />
    public override void MemberAdd(MemberAddResponse response) =>
        Output.Line($"Member {GoText.SpacePaddedHex(response.Member?.ID ?? 0)} added to cluster {GoText.SpacePaddedHex(response.Header?.ClusterId ?? 0)}");

    /// <inheritdoc />
    public override void MemberRemove(ulong memberId, MemberRemoveResponse response) =>
        Output.Line($"Member {GoText.SpacePaddedHex(memberId)} removed from cluster {GoText.SpacePaddedHex(response.Header?.ClusterId ?? 0)}");

    /// <inheritdoc />
    public override void MemberUpdate(ulong memberId, MemberUpdateResponse response) =>
        Output.Line($"Member {GoText.SpacePaddedHex(memberId)} updated in cluster {GoText.SpacePaddedHex(response.Header?.ClusterId ?? 0)}");

    /// <inheritdoc />
    public override void MemberPromote(ulong memberId, MemberPromoteResponse response) =>
        Output.Line($"Member {GoText.SpacePaddedHex(memberId)} promoted in cluster {GoText.SpacePaddedHex(response.Header?.ClusterId ?? 0)}");

    /// <inheritdoc />
    public override void MemberList(MemberListResponse response)
    {
        foreach (string[] row in TableRows.Members(response))
        {
            Output.Line(string.Join(", ", row));
        }
    }

    /// <inheritdoc />
    public override void EndpointHealth(IReadOnlyList<EndpointHealth> health)
    {
        // etcdctl 3.4 prints these lines on stderr (3.5 moved them to stdout).
        foreach (var entry in health)
        {
            Error.WriteLine(entry.Error.Length == 0
                ? $"{entry.Endpoint} is healthy: successfully committed proposal: took = {entry.Took}"
                : $"{entry.Endpoint} is unhealthy: failed to commit proposal: {entry.Error}");
        }
    }

    /// <inheritdoc />
    public override void EndpointStatus(IReadOnlyList<EndpointStatus> statuses)
    {
        foreach (string[] row in TableRows.Statuses(statuses))
        {
            Output.Line(string.Join(", ", row));
        }
    }

    /// <inheritdoc />
    public override void EndpointHashKV(IReadOnlyList<EndpointHash> hashes)
    {
        foreach (string[] row in TableRows.Hashes(hashes))
        {
            Output.Line(string.Join(", ", row));
        }
    }

    /// <inheritdoc />
    public override void MoveLeader(ulong leaderId, ulong targetId, MoveLeaderResponse response) =>
        Output.Line($"Leadership transferred from {GoText.Hex(leaderId)} to {GoText.Hex(targetId)}");

    /// <inheritdoc />
    public override void Alarm(AlarmResponse response)
    {
        foreach (var alarm in response.Alarms)
        {
            Output.Line(ProtoText.Of(alarm));
        }
    }

    private void PrintKeyValue(KeyValue kv)
    {
        if (!ValueOnly)
        {
            PrintBytes(kv.Key);
            Output.NewLine();
        }
        PrintBytes(kv.Value);
        Output.NewLine();
    }

    private void PrintBytes(ByteString bytes)
    {
        if (!hex)
        {
            Output.AppendBytes(bytes.Span);
            return;
        }
        const string LowerHex = "0123456789abcdef";
        foreach (byte b in bytes.Span)
        {
            Output.Append('\\').Append('x').Append(LowerHex[b >> 4]).Append(LowerHex[b & 0xF]);
        }
    }
}
