using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Differential;

/// <summary>Canned responses shared by the differential tests.</summary>
internal static class Responses
{
    public static ResponseHeader Header(long revision = 7) => new()
    {
        ClusterId = 0xfedcba9876543210, MemberId = 0x4aabcb3235bf75a5, Revision = revision, RaftTerm = 3,
    };

    public static KeyValue Kv(string key, string value, long lease = 0) => new()
    {
        Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value),
        CreateRevision = 2, ModRevision = 5, Version = 3, Lease = lease,
    };

    public static KeyValue BinaryKv() => new()
    {
        Key = ByteString.CopyFrom(0xff, 0xfe, (byte)'<', (byte)'k', (byte)'>', 0x00, (byte)'"', (byte)'\\'),
        Value = ByteString.CopyFrom([.. "\u00a0é😀\u200b\u2028\t\n"u8.ToArray(), 0x80, 0x7f, 0x01]),
        CreateRevision = -1, ModRevision = long.MaxValue, Version = 1, Lease = -5,
    };

    public static RangeResponse Range(params KeyValue[] kvs)
    {
        var response = new RangeResponse { Header = Header(), Count = kvs.Length };
        response.Kvs.AddRange(kvs);
        return response;
    }

    public static MemberListResponse Members()
    {
        var response = new MemberListResponse { Header = new ResponseHeader { ClusterId = 0xabc, MemberId = 0x1234, RaftTerm = 2 } };
        var started = new Member { ID = 0xbdae9bbc11dd390d, Name = "node-1" };
        started.PeerURLs.Add("http://127.0.0.1:23801");
        started.ClientURLs.AddRange(["http://127.0.0.1:23791", "https://10.0.0.1:2379"]);
        var learner = new Member { ID = 0x4aabcb3235bf75a5, IsLearner = true };
        learner.PeerURLs.AddRange(["http://127.0.0.1:23811", "http://10.0.0.2:2380"]);
        var unusual = new Member { ID = 1, Name = "n\u00e9\u0001<&>" };
        unusual.PeerURLs.Add("http://[::1]:2380");
        response.Members.AddRange([started, learner, unusual]);
        return response;
    }
}
