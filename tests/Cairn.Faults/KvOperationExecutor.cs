using System.Diagnostics;
using Cairn.Client;
using Cairn.Linearizability;
using Cairn.Protocol.Etcd;
using Google.Protobuf;
using EtcdCompare = Cairn.Protocol.Etcd.Compare;
using LinCompareTarget = Cairn.Linearizability.CompareTarget;

namespace Cairn.Faults;

/// <summary>
/// Executes one single-key KV operation against an etcd v3 endpoint and records it as an
/// <see cref="Operation"/>: monotonic invoke/return times, the result, or the error classified as a
/// definite failure or an unknown outcome.
/// </summary>
public static class KvOperationExecutor
{
    /// <summary>Runs <paramref name="request"/> (whose result fields are filled in) and returns it.</summary>
    public static async Task<Operation> ExecuteAsync(EtcdClient client, Operation request, bool serializableRead, TimeSpan timeout)
    {
        var options = new CallOptions { Timeout = timeout };
        try
        {
            switch (request.Kind)
            {
                case OperationKind.Get:
                    RangeResponse range = await client.KV.RangeAsync(new RangeRequest { Key = Bytes(request.Key), Serializable = serializableRead }, options);
                    request.Found = range.Kvs.Count > 0;
                    request.ReadValue = request.Found ? range.Kvs[0].Value.ToStringUtf8() : null;
                    request.ModRevision = request.Found ? range.Kvs[0].ModRevision : 0;
                    request.HeaderRevision = range.Header.Revision;
                    break;
                case OperationKind.Put:
                    PutResponse put = await client.KV.PutAsync(new PutRequest { Key = Bytes(request.Key), Value = Bytes(request.WriteValue!) }, options);
                    request.HeaderRevision = put.Header.Revision;
                    break;
                case OperationKind.Delete:
                    DeleteRangeResponse delete = await client.KV.DeleteRangeAsync(new DeleteRangeRequest { Key = Bytes(request.Key) }, options);
                    request.DeletedCount = delete.Deleted;
                    request.HeaderRevision = delete.Header.Revision;
                    break;
                default:
                    TxnResponse txn = await client.KV.TxnAsync(CompareAndSet(request), options);
                    request.Succeeded = txn.Succeeded;
                    request.HeaderRevision = txn.Header.Revision;
                    break;
            }

            request.ReturnTicks = Stopwatch.GetTimestamp();
            request.Outcome = Outcome.Ok;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            request.ReturnTicks = Stopwatch.GetTimestamp();
            request.Outcome = ErrorClassifier.Classify(error);
            request.Error = error.Message;
        }

        return request;
    }

    private static TxnRequest CompareAndSet(Operation request)
    {
        var compare = new EtcdCompare { Key = Bytes(request.Key), Result = EtcdCompare.Types.CompareResult.Equal };
        if (request.Compare == LinCompareTarget.ModRevision)
        {
            compare.Target = EtcdCompare.Types.CompareTarget.Mod;
            compare.ModRevision = request.CompareModRevision;
        }
        else
        {
            compare.Target = EtcdCompare.Types.CompareTarget.Value;
            compare.Value = Bytes(request.CompareValue ?? "");
        }

        var txn = new TxnRequest();
        txn.Compare.Add(compare);
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Bytes(request.Key), Value = Bytes(request.WriteValue!) } });
        return txn;
    }

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}
