using Cairn.Client;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.EndToEnd.Tests.Snapshots;

/// <summary>
/// The same writes against any server, shaped to exercise every part of the bbolt export: enough records for two
/// branch levels (written in 128-op txns, so sub revisions up to 127), overwrites, single and range deletes, values of
/// 10 and 100 KB (overflow pages), binary and empty values, a lease with two keys, and a compaction in the middle.
/// </summary>
internal static class SnapshotWorkload
{
    public const int BulkTxns = 34;
    public const int PutsPerTxn = 128;

    public static readonly byte[] BinaryKey = [0x00, 0xff, 0x80, 0x7f];

    /// <summary>Runs the writes; returns the compaction revision and the lease ID.</summary>
    public static async Task<(long CompactRevision, long LeaseId)> ApplyAsync(EtcdClient client)
    {
        for (int txn = 0; txn < BulkTxns; txn++)
        {
            var request = new TxnRequest();
            for (int i = 0; i < PutsPerTxn; i++)
            {
                int n = txn * PutsPerTxn + i;
                request.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Text($"bulk/{n:D5}"), Value = Text(new string((char)('a' + n % 26), 100)) } });
            }

            await client.KV.TxnAsync(request);
        }

        long compactRevision = 0;
        for (int i = 1; i <= 5; i++)
        {
            PutResponse put = await client.KV.PutAsync(new PutRequest { Key = Text("over"), Value = Text($"value {i}") });
            if (i == 3)
            {
                compactRevision = put.Header.Revision;
            }
        }

        await client.KV.PutAsync(new PutRequest { Key = Text("big/10k"), Value = Pattern(10_000) });
        await client.KV.PutAsync(new PutRequest { Key = Text("big/100k"), Value = Pattern(100_000) });
        await client.KV.PutAsync(new PutRequest { Key = ByteString.CopyFrom(BinaryKey), Value = ByteString.CopyFrom(0, 1, 2, 255) });
        await client.KV.PutAsync(new PutRequest { Key = Text("empty") });
        await client.KV.DeleteRangeAsync(new DeleteRangeRequest { Key = Text("bulk/00000") });
        await client.KV.DeleteRangeAsync(new DeleteRangeRequest { Key = Text("bulk/0001"), RangeEnd = Text("bulk/0002") });
        LeaseGrantResponse lease = await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 600 });
        await client.KV.PutAsync(new PutRequest { Key = Text("leased/a"), Value = Text("a"), Lease = lease.ID });
        await client.KV.PutAsync(new PutRequest { Key = Text("leased/b"), Value = Text("b"), Lease = lease.ID });
        await client.KV.CompactAsync(new CompactionRequest { Revision = compactRevision });
        await client.KV.PutAsync(new PutRequest { Key = Text("after"), Value = Text("compaction") });
        await client.KV.PutAsync(new PutRequest { Key = Text("over"), Value = Text("value 6") });
        await client.KV.DeleteRangeAsync(new DeleteRangeRequest { Key = Text("big/10k") });
        return (compactRevision, lease.ID);
    }

    public static EtcdClient Connect(string endpoint) => new(new EtcdClientOptions
    {
        Endpoints = { endpoint },
        DefaultCallTimeout = TimeSpan.FromSeconds(30),
    });

    private static ByteString Text(string text) => ByteString.CopyFromUtf8(text);

    private static ByteString Pattern(int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + i / 251);
        }

        return ByteString.CopyFrom(bytes);
    }
}
