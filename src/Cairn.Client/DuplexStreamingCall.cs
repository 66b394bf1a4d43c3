using System.Runtime.CompilerServices;
using Cairn.Client.Grpc;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Client;

/// <summary>
/// A bidirectional-streaming call: write requests and read responses independently. One write at a time and one
/// read at a time (a write and a read may overlap). <see cref="CompleteRequests"/> half-closes; dispose cancels.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class DuplexStreamingCall<TRequest, TResponse> : IAsyncDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly StreamingCallCore<TResponse> _core;
    private readonly DuplexRequestContent _content;
    private readonly GrpcWriteOptions _writeOptions;
    private int _writing;

    internal DuplexStreamingCall(StreamingCallCore<TResponse> core, DuplexRequestContent content, GrpcWriteOptions writeOptions)
    {
        _core = core;
        _content = content;
        _writeOptions = writeOptions;
    }

    /// <summary>Sends one request message.</summary>
    /// <exception cref="RpcException">The call has ended (its status), or the connection failed.</exception>
    /// <exception cref="InvalidOperationException">Another write is in progress, or the call ended with OK.</exception>
    public async ValueTask WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ThrowIfEnded();
        if (Interlocked.Exchange(ref _writing, 1) != 0)
        {
            throw new InvalidOperationException("a write on this stream is already in progress; writes must not overlap");
        }

        try
        {
            using var frame = new PooledBufferWriter(message.CalculateSize() + GrpcFrame.HeaderBytes);
            GrpcMessageWriter.Write(frame, message, _writeOptions);
            CancellationToken token = cancellationToken.CanBeCanceled ? cancellationToken : _core.CallToken;
            Stream stream = await _content.RequestStream.WaitAsync(token).ConfigureAwait(false);
            await stream.WriteAsync(frame.WrittenMemory, token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            throw _core.ExplainWriteFailure(exception);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    // Once the response side has ended, the request stream may still accept bytes for a moment; grpc-go's SendMsg
    // fails at that point, and so does this.
    private void ThrowIfEnded()
    {
        if (_core.FinalError is { } status)
        {
            throw status;
        }

        if (_core.Finished)
        {
            throw new InvalidOperationException("the server has ended this call; no more requests can be sent");
        }
    }

    /// <summary>Tells the server no more requests will come (half-close). Responses keep flowing.</summary>
    public void CompleteRequests() => _content.Complete();

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
    public async ValueTask DisposeAsync()
    {
        _content.Abort(new ObjectDisposedException(nameof(DuplexStreamingCall<TRequest, TResponse>)));
        await _core.DisposeAsync().ConfigureAwait(false);
    }
}
