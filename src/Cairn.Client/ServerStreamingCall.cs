using System.Runtime.CompilerServices;
using Cairn.Client.Grpc;
using Google.Protobuf;

namespace Cairn.Client;

/// <summary>
/// A call that sent one request and receives a stream of responses. Read until <see cref="ReadAsync"/> returns null
/// (status OK); an error status is thrown as <see cref="Cairn.Protocol.Grpc.RpcException"/>. Dispose to cancel early.
/// </summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class ServerStreamingCall<TResponse> : IAsyncDisposable
    where TResponse : class, IMessage<TResponse>
{
    private readonly StreamingCallCore<TResponse> _core;

    internal ServerStreamingCall(StreamingCallCore<TResponse> core) => _core = core;

    /// <summary>Reads the next response, or null once the server ended the call with OK. Cancelling the token cancels the call.</summary>
    public ValueTask<TResponse?> ReadAsync(CancellationToken cancellationToken = default) => _core.ReadAsync(cancellationToken);

    /// <summary>All responses until the end of the call.</summary>
    public async IAsyncEnumerable<TResponse> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } response)
        {
            yield return response;
        }
    }

    /// <summary>Cancels the call if it is still running and releases it.</summary>
    public ValueTask DisposeAsync() => _core.DisposeAsync();
}
