using System.Text;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Output;

/// <summary>
/// The compact protobuf text format (golang/protobuf's CompactTextString, which gogo messages use for
/// <c>String()</c>): etcdctl prints it for alarms (<c>memberID:1 alarm:NOSPACE </c>) and for responses it has no
/// printer for. Only the message types etcdctl prints this way are covered.
/// </summary>
public static class ProtoText
{
    /// <summary>Compact text of an alarm member, e.g. "memberID:12 alarm:NOSPACE ".</summary>
    public static string Of(AlarmMember alarm)
    {
        var text = new StringBuilder();
        Number(text, "memberID", alarm.MemberID);
        if (alarm.Alarm != AlarmType.None)
        {
            text.Append("alarm:").Append(AlarmName(alarm.Alarm)).Append(' ');
        }
        return text.ToString();
    }

    /// <summary>Compact text of a response header.</summary>
    public static string Of(ResponseHeader header)
    {
        var text = new StringBuilder();
        Number(text, "cluster_id", header.ClusterId);
        Number(text, "member_id", header.MemberId);
        Number(text, "revision", header.Revision);
        Number(text, "raft_term", header.RaftTerm);
        return text.ToString();
    }

    /// <summary>Compact text of one txn response operation.</summary>
    public static string Of(ResponseOp op)
    {
        var text = new StringBuilder();
        switch (op.ResponseCase)
        {
            case ResponseOp.ResponseOneofCase.ResponseRange: Message(text, "response_range", Of(op.ResponseRange)); break;
            case ResponseOp.ResponseOneofCase.ResponsePut: Message(text, "response_put", Of(op.ResponsePut)); break;
            case ResponseOp.ResponseOneofCase.ResponseDeleteRange: Message(text, "response_delete_range", Of(op.ResponseDeleteRange)); break;
            case ResponseOp.ResponseOneofCase.ResponseTxn: Message(text, "response_txn", Of(op.ResponseTxn)); break;
        }
        return text.ToString();
    }

    /// <summary>Compact text of a txn response.</summary>
    public static string Of(TxnResponse response)
    {
        var text = new StringBuilder();
        Header(text, response.Header);
        Bool(text, "succeeded", response.Succeeded);
        foreach (var op in response.Responses)
        {
            Message(text, "responses", Of(op));
        }
        return text.ToString();
    }

    /// <summary>The name of an alarm type as etcd's enum spells it.</summary>
    public static string AlarmName(AlarmType alarm) => alarm switch
    {
        AlarmType.None => "NONE",
        AlarmType.Nospace => "NOSPACE",
        AlarmType.Corrupt => "CORRUPT",
        _ => ((int)alarm).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Of(RangeResponse response)
    {
        var text = new StringBuilder();
        Header(text, response.Header);
        foreach (var kv in response.Kvs)
        {
            Message(text, "kvs", Of(kv));
        }
        Bool(text, "more", response.More);
        Number(text, "count", response.Count);
        return text.ToString();
    }

    private static string Of(PutResponse response)
    {
        var text = new StringBuilder();
        Header(text, response.Header);
        if (response.PrevKv is not null)
        {
            Message(text, "prev_kv", Of(response.PrevKv));
        }
        return text.ToString();
    }

    private static string Of(DeleteRangeResponse response)
    {
        var text = new StringBuilder();
        Header(text, response.Header);
        Number(text, "deleted", response.Deleted);
        foreach (var kv in response.PrevKvs)
        {
            Message(text, "prev_kvs", Of(kv));
        }
        return text.ToString();
    }

    private static string Of(KeyValue kv)
    {
        var text = new StringBuilder();
        Bytes(text, "key", kv.Key);
        Number(text, "create_revision", kv.CreateRevision);
        Number(text, "mod_revision", kv.ModRevision);
        Number(text, "version", kv.Version);
        Bytes(text, "value", kv.Value);
        Number(text, "lease", kv.Lease);
        return text.ToString();
    }

    private static void Header(StringBuilder text, ResponseHeader? header)
    {
        if (header is not null)
        {
            Message(text, "header", Of(header));
        }
    }

    private static void Message(StringBuilder text, string name, string body) =>
        text.Append(name).Append(":<").Append(body).Append("> ");

    private static void Number(StringBuilder text, string name, long value)
    {
        if (value != 0)
        {
            text.Append(name).Append(':').Append(value).Append(' ');
        }
    }

    private static void Number(StringBuilder text, string name, ulong value)
    {
        if (value != 0)
        {
            text.Append(name).Append(':').Append(value).Append(' ');
        }
    }

    private static void Bool(StringBuilder text, string name, bool value)
    {
        if (value)
        {
            text.Append(name).Append(":true ");
        }
    }

    // golang/protobuf escapes byte by byte: printable ASCII stays, \n \r \t \" \\ get a backslash, the rest is octal.
    private static void Bytes(StringBuilder text, string name, ByteString value)
    {
        if (value.IsEmpty)
        {
            return;
        }
        text.Append(name).Append(":\"");
        foreach (byte b in value.Span)
        {
            switch (b)
            {
                case (byte)'\n': text.Append("\\n"); break;
                case (byte)'\r': text.Append("\\r"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case (byte)'"': text.Append("\\\""); break;
                case (byte)'\\': text.Append("\\\\"); break;
                default:
                    if (b >= 0x20 && b < 0x7f)
                    {
                        text.Append((char)b);
                    }
                    else
                    {
                        text.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    }
                    break;
            }
        }
        text.Append("\" ");
    }
}
