using System.Net;

namespace Cairn.Client.Grpc;

/// <summary>
/// A request body that stays open for the whole call: the transport hands over its request stream, the call writes
/// framed messages into it, and completing the content half-closes the stream (HTTP/2 END_STREAM).
/// </summary>
internal sealed class DuplexRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _requestStream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _requestsComplete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DuplexRequestContent() => GrpcContentHeaders.SetGrpcContentType(Headers);

    /// <summary>The request stream, once the transport has sent the request headers.</summary>
    public Task<Stream> RequestStream => _requestStream.Task;

    /// <summary>Ends the request side (half-close). Idempotent.</summary>
    public void Complete() => _requestsComplete.TrySetResult();

    /// <summary>Gives up on the request side; a writer still waiting for the stream fails.</summary>
    public void Abort(Exception reason)
    {
        _requestStream.TrySetException(reason);
        _requestsComplete.TrySetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        try
        {
            // SocketsHttpHandler may keep the request headers of a body that has not started in its write buffer; a
            // call that only reads (a watch opened before its first request) would then never reach the server.
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            _requestStream.TrySetResult(stream);
            await _requestsComplete.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The response finished or the call was cancelled: the request side simply ends.
        }
        finally
        {
            _requestStream.TrySetResult(stream);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
