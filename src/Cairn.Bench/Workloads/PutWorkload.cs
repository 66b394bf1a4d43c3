using System.Globalization;
using Cairn.Client;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Bench.Workloads;

/// <summary>
/// <c>bench put</c>: etcd's put benchmark. Request <c>i</c> writes key number <c>(key-start + i) mod key-space-size</c>
/// with <c>--sequential-keys</c>, else a random key number below <c>--key-space-size</c>; every request writes the
/// same random value of <c>--val-size</c> bytes.
/// </summary>
internal sealed class PutWorkload : UnaryWorkload
{
    private readonly MessageTemplate _template;

    public PutWorkload(PutSettings settings)
    {
        Settings = settings;
        byte[] value = BenchKeys.Value(settings.ValueSize);
        _template = MessageTemplate.Create(
            fill => new PutRequest { Key = ByteString.CopyFrom(Filled(settings.KeySize, fill)), Value = ByteString.CopyFrom(value) },
            settings.KeySize,
            keyCount: 1);
    }

    /// <summary>The workload flags.</summary>
    public PutSettings Settings { get; }

    public override string Name => "put";

    public override string Path => EtcdMethods.KV.Put;

    public override int MaxRequestBytes => _template.Length;

    public override IEnumerable<(string Name, string Value)> Parameters =>
    [
        ("key-size", Settings.KeySize.ToString(CultureInfo.InvariantCulture)),
        ("val-size", Settings.ValueSize.ToString(CultureInfo.InvariantCulture)),
        ("key-space-size", Settings.KeySpaceSize.ToString(CultureInfo.InvariantCulture)),
        ("sequential-keys", Settings.SequentialKeys ? "true" : "false"),
        ("key-start", Settings.KeyStart.ToString(CultureInfo.InvariantCulture)),
    ];

    public override int WriteRequest(long index, Span<byte> destination)
    {
        int length = _template.CopyTo(destination);
        long keyNumber = Settings.SequentialKeys
            ? (Settings.KeyStart + index) % Settings.KeySpaceSize
            : Random.Shared.NextInt64(Settings.KeySpaceSize);
        BenchKeys.Write(keyNumber, _template.KeySlot(destination, 0));
        return length;
    }

    public override string? CheckResponse(ReadOnlySpan<byte> response)
    {
        PutResponse? put = TryParse(PutResponse.Parser, response, out string? error);
        return error ?? (put!.Header is { Revision: > 0 } ? null : "put response without a revision");
    }

    public override Task CallWithClientAsync(EtcdClient client, ReadOnlyMemory<byte> request) =>
        client.KV.PutAsync(PutRequest.Parser.ParseFrom(request.Span));

    internal static byte[] Filled(int size, byte fill)
    {
        var bytes = new byte[size];
        bytes.AsSpan().Fill(fill);
        return bytes;
    }
}

/// <summary>The flags of <c>bench put</c>.</summary>
internal sealed record PutSettings(int KeySize, int ValueSize, long KeySpaceSize, bool SequentialKeys, long KeyStart);
