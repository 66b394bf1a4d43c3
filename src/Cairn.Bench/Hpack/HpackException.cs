namespace Cairn.Bench.Hpack;

/// <summary>A header block could not be decoded: HTTP/2 treats this as a connection error (COMPRESSION_ERROR).</summary>
internal sealed class HpackException(string message) : Exception(message);
