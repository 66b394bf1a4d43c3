using System.Globalization;
using System.Text;
using Cairn.Client;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Bench.Workloads;

/// <summary><c>bench range KEY [END]</c>: the same Range request every time, linearizable (<c>l</c>) or serializable (<c>s</c>).</summary>
internal sealed class RangeWorkload : UnaryWorkload
{
    private readonly byte[] _request;

    public RangeWorkload(RangeSettings settings)
    {
        Settings = settings;
        var request = new RangeRequest
        {
            Key = ByteString.CopyFrom(Encoding.UTF8.GetBytes(settings.Key)),
            Serializable = settings.Serializable,
            Limit = settings.Limit,
            CountOnly = settings.CountOnly,
        };
        if (settings.End is { } end)
        {
            request.RangeEnd = ByteString.CopyFrom(Encoding.UTF8.GetBytes(end));
        }

        _request = request.ToByteArray();
    }

    /// <summary>The workload flags.</summary>
    public RangeSettings Settings { get; }

    public override string Name => "range";

    public override string Path => EtcdMethods.KV.Range;

    public override int MaxRequestBytes => _request.Length;

    public override IEnumerable<(string Name, string Value)> Parameters =>
    [
        ("key", Settings.Key),
        ("end", Settings.End ?? ""),
        ("consistency", Settings.Serializable ? "s" : "l"),
        ("limit", Settings.Limit.ToString(CultureInfo.InvariantCulture)),
        ("count-only", Settings.CountOnly ? "true" : "false"),
    ];

    public override int WriteRequest(long index, Span<byte> destination)
    {
        _request.CopyTo(destination);
        return _request.Length;
    }

    public override string? CheckResponse(ReadOnlySpan<byte> response)
    {
        RangeResponse? range = TryParse(RangeResponse.Parser, response, out string? error);
        return error ?? (range!.Header is { Revision: > 0 } ? null : "range response without a revision");
    }

    public override Task CallWithClientAsync(EtcdClient client, ReadOnlyMemory<byte> request) =>
        client.KV.RangeAsync(RangeRequest.Parser.ParseFrom(request.Span));
}

/// <summary>The arguments and flags of <c>bench range</c>.</summary>
internal sealed record RangeSettings(string Key, string? End, bool Serializable, long Limit, bool CountOnly);
