using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Storage.Tests.Support;

/// <summary>Short constructors for etcd requests in tests.</summary>
public static class Kv
{
    public static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    public static string S(ByteString bytes) => bytes.ToStringUtf8();

    public static PutRequest Put(string key, string value, long lease = 0) =>
        new() { Key = B(key), Value = B(value), Lease = lease };

    public static RangeRequest Get(string key, string? rangeEnd = null, long revision = 0) =>
        new() { Key = B(key), RangeEnd = rangeEnd is null ? ByteString.Empty : B(rangeEnd), Revision = revision };

    public static RangeRequest Prefix(string prefix) =>
        new() { Key = B(prefix), RangeEnd = ByteString.CopyFrom(Cairn.Storage.Mvcc.KeyRange.PrefixEnd(System.Text.Encoding.UTF8.GetBytes(prefix))) };

    public static DeleteRangeRequest Delete(string key, string? rangeEnd = null, bool prevKv = false) =>
        new() { Key = B(key), RangeEnd = rangeEnd is null ? ByteString.Empty : B(rangeEnd), PrevKv = prevKv };

    public static RequestOp OpPut(string key, string value, long lease = 0) => new() { RequestPut = Put(key, value, lease) };

    public static RequestOp OpGet(string key, string? rangeEnd = null) => new() { RequestRange = Get(key, rangeEnd) };

    public static RequestOp OpDelete(string key, string? rangeEnd = null) => new() { RequestDeleteRange = Delete(key, rangeEnd) };

    public static RequestOp OpTxn(TxnRequest txn) => new() { RequestTxn = txn };

    public static Compare VersionIs(string key, Compare.Types.CompareResult result, long version) =>
        new() { Key = B(key), Target = Compare.Types.CompareTarget.Version, Result = result, Version = version };

    public static string[] Keys(RangeResponse response) => response.Kvs.Select(kv => S(kv.Key)).ToArray();

    public static EtcdError ErrorOf(Action action)
    {
        var exception = Assert.Throws<EtcdException>(action);
        return exception.Error;
    }
}
