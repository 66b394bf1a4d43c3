using Cairn.Client;
using Google.Protobuf;

namespace Cairn.Bench.Workloads;

/// <summary>
/// A benchmark made of independent unary calls to one method (put, range, txn-put): it writes request number
/// <c>i</c> into a buffer and checks a sample of responses. The runner does the rest.
/// </summary>
internal abstract class UnaryWorkload
{
    /// <summary>The workload name as on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>The gRPC method path.</summary>
    public abstract string Path { get; }

    /// <summary>The largest serialized request.</summary>
    public abstract int MaxRequestBytes { get; }

    /// <summary>The workload's own settings, for the report.</summary>
    public abstract IEnumerable<(string Name, string Value)> Parameters { get; }

    /// <summary>Serializes request number <paramref name="index"/> into <paramref name="destination"/>; returns its length.</summary>
    public abstract int WriteRequest(long index, Span<byte> destination);

    /// <summary>Checks a response message; returns why it is wrong, or null when it is a valid answer.</summary>
    public abstract string? CheckResponse(ReadOnlySpan<byte> response);

    /// <summary>Sends a request through <see cref="EtcdClient"/> (the <c>--transport cairn-client</c> baseline).</summary>
    public abstract Task CallWithClientAsync(EtcdClient client, ReadOnlyMemory<byte> request);

    /// <summary>Parses a response for <see cref="CheckResponse"/>, reporting garbage instead of throwing.</summary>
    protected static T? TryParse<T>(MessageParser<T> parser, ReadOnlySpan<byte> bytes, out string? error)
        where T : IMessage<T>
    {
        try
        {
            error = null;
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException exception)
        {
            error = "unparsable response: " + exception.Message;
            return default;
        }
    }
}
