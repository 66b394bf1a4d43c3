namespace Cairn.Bench.Hpack;

/// <summary>Receives the header fields of a decoded block. The spans are only valid during the call.</summary>
internal interface IHpackHeaderSink
{
    /// <summary>One header field, in the order of the block.</summary>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
