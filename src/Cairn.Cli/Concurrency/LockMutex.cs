using System.Text;
using Cairn.Cli.Session;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Concurrency;

/// <summary>
/// clientv3's concurrency.Mutex, the recipe <c>etcdctl lock</c> uses (it does not call the v3lock service): the
/// holder is the key <c>NAME/LEASE-HEX</c> with the lowest create revision under <c>NAME/</c>.
/// </summary>
internal sealed class LockMutex
{
    private readonly IEtcdSession client;
    private readonly LeaseSession session;
    private readonly byte[] prefix;

    public LockMutex(IEtcdSession client, LeaseSession session, string name)
    {
        this.client = client;
        this.session = session;
        prefix = Encoding.UTF8.GetBytes(name + "/");
        Key = ByteString.CopyFrom(Encoding.UTF8.GetBytes($"{name}/{session.LeaseId:x}"));
    }

    /// <summary>This waiter's key.</summary>
    public ByteString Key { get; }

    /// <summary>The header of the response that made this session the holder.</summary>
    public ResponseHeader? Header { get; private set; }

    /// <summary>Queues this session's key and waits until every older waiter is gone.</summary>
    public async Task LockAsync(CancellationToken cancellation)
    {
        var request = new TxnRequest();
        request.Compare.Add(new Compare { Key = Key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        request.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Key, Lease = session.LeaseId } });
        request.Success.Add(new RequestOp { RequestRange = KeyWaits.FirstCreated(prefix) });
        request.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Key } });
        request.Failure.Add(new RequestOp { RequestRange = KeyWaits.FirstCreated(prefix) });
        var response = await client.TxnAsync(request, cancellation);
        long myRevision = response.Succeeded ? response.Header.Revision : response.Responses[0].ResponseRange.Kvs[0].CreateRevision;
        var owner = response.Responses[1].ResponseRange.Kvs;
        if (owner.Count == 0 || owner[0].CreateRevision == myRevision)
        {
            Header = response.Header;
            return;
        }
        try
        {
            Header = await KeyWaits.WaitDeletesAsync(client, prefix, myRevision - 1, cancellation);
        }
        catch
        {
            await UnlockAsync();
            throw;
        }
    }

    /// <summary>Deletes this session's key.</summary>
    public async Task UnlockAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.DeleteRangeAsync(new DeleteRangeRequest { Key = Key }, deadline.Token);
    }
}
