using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Output;

/// <summary>
/// Go encoding/json of etcd's gogo-generated response structs: proto field names as JSON names, every field
/// <c>omitempty</c> (zero numbers, false, empty strings and lists, absent messages are left out), enums as numbers,
/// fields in proto field-number order.
/// </summary>
public static class EtcdJson
{
    /// <summary>Writes <c>"header":{...}</c> unless the header is absent.</summary>
    public static void Header(GoJsonWriter json, ResponseHeader? header)
    {
        if (header is null)
        {
            return;
        }
        json.BeginObject("header");
        HeaderFields(json, header);
        json.EndObject();
    }

    /// <summary>Writes the four header fields into the current object (each left out when zero).</summary>
    public static void HeaderFields(GoJsonWriter json, ResponseHeader? header)
    {
        if (header is null)
        {
            return;
        }
        NonZero(json, "cluster_id", header.ClusterId);
        NonZero(json, "member_id", header.MemberId);
        NonZero(json, "revision", header.Revision);
        NonZero(json, "raft_term", header.RaftTerm);
    }

    /// <summary>Writes a key-value object as a value.</summary>
    public static void KeyValue(GoJsonWriter json, KeyValue kv)
    {
        json.BeginObject();
        if (!kv.Key.IsEmpty)
        {
            json.Bytes("key", kv.Key.Span);
        }
        NonZero(json, "create_revision", kv.CreateRevision);
        NonZero(json, "mod_revision", kv.ModRevision);
        NonZero(json, "version", kv.Version);
        if (!kv.Value.IsEmpty)
        {
            json.Bytes("value", kv.Value.Span);
        }
        NonZero(json, "lease", kv.Lease);
        json.EndObject();
    }

    /// <summary>Writes a list of key-values as field <paramref name="name"/>, left out when empty.</summary>
    public static void KeyValues(GoJsonWriter json, string name, IReadOnlyList<KeyValue> kvs)
    {
        if (kvs.Count == 0)
        {
            return;
        }
        json.BeginArray(name);
        foreach (var kv in kvs)
        {
            KeyValue(json, kv);
        }
        json.EndArray();
    }

    /// <summary>Writes a RangeResponse object as a value.</summary>
    public static void Range(GoJsonWriter json, RangeResponse response)
    {
        json.BeginObject();
        Header(json, response.Header);
        KeyValues(json, "kvs", response.Kvs);
        if (response.More)
        {
            json.Bool("more", true);
        }
        NonZero(json, "count", response.Count);
        json.EndObject();
    }

    /// <summary>Writes a PutResponse object as a value.</summary>
    public static void Put(GoJsonWriter json, PutResponse response)
    {
        json.BeginObject();
        Header(json, response.Header);
        if (response.PrevKv is not null)
        {
            json.Name("prev_kv");
            KeyValue(json, response.PrevKv);
        }
        json.EndObject();
    }

    /// <summary>Writes a DeleteRangeResponse object as a value.</summary>
    public static void Delete(GoJsonWriter json, DeleteRangeResponse response)
    {
        json.BeginObject();
        Header(json, response.Header);
        NonZero(json, "deleted", response.Deleted);
        KeyValues(json, "prev_kvs", response.PrevKvs);
        json.EndObject();
    }

    /// <summary>Writes a TxnResponse object as a value; each op is <c>{"Response":{"ResponseRange":{...}}}</c>.</summary>
    public static void Txn(GoJsonWriter json, TxnResponse response)
    {
        json.BeginObject();
        Header(json, response.Header);
        if (response.Succeeded)
        {
            json.Bool("succeeded", true);
        }
        if (response.Responses.Count > 0)
        {
            json.BeginArray("responses");
            foreach (var op in response.Responses)
            {
                ResponseOp(json, op);
            }
            json.EndArray();
        }
        json.EndObject();
    }

    /// <summary>Writes a watch event object as a value (type left out for PUT, which is 0).</summary>
    public static void Event(GoJsonWriter json, Event watchEvent)
    {
        json.BeginObject();
        NonZero(json, "type", (long)watchEvent.Type);
        if (watchEvent.Kv is not null)
        {
            json.Name("kv");
            KeyValue(json, watchEvent.Kv);
        }
        if (watchEvent.PrevKv is not null)
        {
            json.Name("prev_kv");
            KeyValue(json, watchEvent.PrevKv);
        }
        json.EndObject();
    }

    /// <summary>Writes a member object as a value.</summary>
    public static void Member(GoJsonWriter json, Member member)
    {
        json.BeginObject();
        NonZero(json, "ID", member.ID);
        NonEmpty(json, "name", member.Name);
        Strings(json, "peerURLs", member.PeerURLs);
        Strings(json, "clientURLs", member.ClientURLs);
        if (member.IsLearner)
        {
            json.Bool("isLearner", true);
        }
        json.EndObject();
    }

    /// <summary>Writes a member list field, left out when empty.</summary>
    public static void Members(GoJsonWriter json, IReadOnlyList<Member> members)
    {
        if (members.Count == 0)
        {
            return;
        }
        json.BeginArray("members");
        foreach (var member in members)
        {
            Member(json, member);
        }
        json.EndArray();
    }

    /// <summary>Writes a StatusResponse object as a value.</summary>
    public static void Status(GoJsonWriter json, StatusResponse status)
    {
        json.BeginObject();
        Header(json, status.Header);
        NonEmpty(json, "version", status.Version);
        NonZero(json, "dbSize", status.DbSize);
        NonZero(json, "leader", status.Leader);
        NonZero(json, "raftIndex", status.RaftIndex);
        NonZero(json, "raftTerm", status.RaftTerm);
        NonZero(json, "raftAppliedIndex", status.RaftAppliedIndex);
        Strings(json, "errors", status.Errors);
        NonZero(json, "dbSizeInUse", status.DbSizeInUse);
        if (status.IsLearner)
        {
            json.Bool("isLearner", true);
        }
        json.EndObject();
    }

    /// <summary>Writes a HashKVResponse object as a value.</summary>
    public static void HashKV(GoJsonWriter json, HashKVResponse hash)
    {
        json.BeginObject();
        Header(json, hash.Header);
        NonZero(json, "hash", (ulong)hash.Hash);
        NonZero(json, "compact_revision", hash.CompactRevision);
        json.EndObject();
    }

    /// <summary>Writes an AlarmResponse object as a value.</summary>
    public static void Alarm(GoJsonWriter json, AlarmResponse response)
    {
        json.BeginObject();
        Header(json, response.Header);
        if (response.Alarms.Count > 0)
        {
            json.BeginArray("alarms");
            foreach (var alarm in response.Alarms)
            {
                json.BeginObject();
                NonZero(json, "memberID", alarm.MemberID);
                NonZero(json, "alarm", (long)alarm.Alarm);
                json.EndObject();
            }
            json.EndArray();
        }
        json.EndObject();
    }

    /// <summary>Writes a number field unless it is zero.</summary>
    public static void NonZero(GoJsonWriter json, string name, long value)
    {
        if (value != 0)
        {
            json.Number(name, value);
        }
    }

    /// <summary>Writes a number field unless it is zero.</summary>
    public static void NonZero(GoJsonWriter json, string name, ulong value)
    {
        if (value != 0)
        {
            json.Number(name, value);
        }
    }

    private static void NonEmpty(GoJsonWriter json, string name, string value)
    {
        if (value.Length > 0)
        {
            json.String(name, value);
        }
    }

    private static void Strings(GoJsonWriter json, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        json.BeginArray(name);
        foreach (string value in values)
        {
            json.String(value);
        }
        json.EndArray();
    }

    private static void ResponseOp(GoJsonWriter json, ResponseOp op)
    {
        json.BeginObject();
        if (op.ResponseCase == Protocol.Etcd.ResponseOp.ResponseOneofCase.None)
        {
            json.Null("Response").EndObject();
            return;
        }
        json.Name("Response");
        json.BeginObject();
        switch (op.ResponseCase)
        {
            case Protocol.Etcd.ResponseOp.ResponseOneofCase.ResponseRange: json.Name("ResponseRange"); Range(json, op.ResponseRange); break;
            case Protocol.Etcd.ResponseOp.ResponseOneofCase.ResponsePut: json.Name("ResponsePut"); Put(json, op.ResponsePut); break;
            case Protocol.Etcd.ResponseOp.ResponseOneofCase.ResponseDeleteRange: json.Name("ResponseDeleteRange"); Delete(json, op.ResponseDeleteRange); break;
            case Protocol.Etcd.ResponseOp.ResponseOneofCase.ResponseTxn: json.Name("ResponseTxn"); Txn(json, op.ResponseTxn); break;
        }
        json.EndObject();
        json.EndObject();
    }
}
