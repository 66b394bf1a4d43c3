using System.Text;

namespace Cairn.Bench.Hpack;

/// <summary>
/// A fixed list of request header fields (one gRPC method on one server, say). It never changes, so an encoder can
/// cache its encoded block and reuse it while the dynamic table stays the same.
/// </summary>
internal sealed class HpackHeaderList
{
    private static int s_nextId;

    /// <summary>Creates the list from lower-case names and their values.</summary>
    public HpackHeaderList(IEnumerable<(string Name, string Value)> fields)
    {
        var encoded = new List<(byte[] Name, byte[] Value)>();
        foreach (var (name, value) in fields)
        {
            Cairn.Protocol.Invariant.Check(name == name.ToLowerInvariant(), "HTTP/2 header names are lower case");
            encoded.Add((Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value)));
        }

        Fields = encoded.ToArray();
        Id = Interlocked.Increment(ref s_nextId) - 1;
        int bound = 6; // a table size update
        foreach (var (name, value) in Fields)
        {
            bound += HpackPrimitives.MaxStringBytes(name.Length) + HpackPrimitives.MaxStringBytes(value.Length) + 6;
        }

        MaxEncodedBytes = bound;
    }

    /// <summary>A process-wide number, used by encoders to find their cached block.</summary>
    public int Id { get; }

    /// <summary>The fields, in order.</summary>
    public (byte[] Name, byte[] Value)[] Fields { get; }

    /// <summary>The most bytes an encoded block of this list can take.</summary>
    public int MaxEncodedBytes { get; }
}
