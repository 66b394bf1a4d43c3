using System.Globalization;
using Cairn.Client;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Bench.Workloads;

/// <summary>
/// <c>bench txn-put</c>: etcd's txn-put benchmark. Transaction <c>i</c> has no compares and <c>--txn-ops</c> puts, op
/// <c>j</c> on key number <c>(i * txn-ops + j) mod key-space-size</c>.
/// </summary>
internal sealed class TxnPutWorkload : UnaryWorkload
{
    private readonly MessageTemplate _template;

    public TxnPutWorkload(TxnPutSettings settings)
    {
        Settings = settings;
        byte[] value = BenchKeys.Value(settings.ValueSize);
        _template = MessageTemplate.Create(fill => Build(settings, value, fill), settings.KeySize, settings.OpsPerTxn);
    }

    /// <summary>The workload flags.</summary>
    public TxnPutSettings Settings { get; }

    public override string Name => "txn-put";

    public override string Path => EtcdMethods.KV.Txn;

    public override int MaxRequestBytes => _template.Length;

    public override IEnumerable<(string Name, string Value)> Parameters =>
    [
        ("key-size", Settings.KeySize.ToString(CultureInfo.InvariantCulture)),
        ("val-size", Settings.ValueSize.ToString(CultureInfo.InvariantCulture)),
        ("key-space-size", Settings.KeySpaceSize.ToString(CultureInfo.InvariantCulture)),
        ("txn-ops", Settings.OpsPerTxn.ToString(CultureInfo.InvariantCulture)),
    ];

    public override int WriteRequest(long index, Span<byte> destination)
    {
        int length = _template.CopyTo(destination);
        for (int op = 0; op < Settings.OpsPerTxn; op++)
        {
            long keyNumber = ((index * Settings.OpsPerTxn) + op) % Settings.KeySpaceSize;
            BenchKeys.Write(keyNumber, _template.KeySlot(destination, op));
        }

        return length;
    }

    public override string? CheckResponse(ReadOnlySpan<byte> response)
    {
        TxnResponse? txn = TryParse(TxnResponse.Parser, response, out string? error);
        if (error is not null)
        {
            return error;
        }

        return txn!.Succeeded && txn.Responses.Count == Settings.OpsPerTxn ? null : "txn response is not a success with one answer per op";
    }

    public override Task CallWithClientAsync(EtcdClient client, ReadOnlyMemory<byte> request) =>
        client.KV.TxnAsync(TxnRequest.Parser.ParseFrom(request.Span));

    private static TxnRequest Build(TxnPutSettings settings, byte[] value, byte fill)
    {
        var txn = new TxnRequest();
        for (int op = 0; op < settings.OpsPerTxn; op++)
        {
            txn.Success.Add(new RequestOp
            {
                RequestPut = new PutRequest { Key = ByteString.CopyFrom(PutWorkload.Filled(settings.KeySize, fill)), Value = ByteString.CopyFrom(value) },
            });
        }

        return txn;
    }
}

/// <summary>The flags of <c>bench txn-put</c>.</summary>
internal sealed record TxnPutSettings(int KeySize, int ValueSize, long KeySpaceSize, int OpsPerTxn);
