using System.Net;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Client.Grpc;

/// <summary>
/// A request body holding exactly one framed message in a pooled buffer. It can be sent more than once (failover
/// attempts); the buffer goes back to the pool only after the owner disposed it and no send is still writing it.
/// </summary>
internal sealed class UnaryRequestContent : HttpContent
{
    private readonly PooledBufferWriter _frame;
    // Only streaming calls wait for the send to start; unary calls never create it.
    private TaskCompletionSource? _sendStarted;

    // One reference for the owner plus one per send in progress; the buffer is returned when it reaches zero.
    private int _references = 1;
    private bool _disposed;

    public UnaryRequestContent(IMessage message, in GrpcWriteOptions options)
    {
        _frame = new PooledBufferWriter(message.CalculateSize() + GrpcFrame.HeaderBytes);
        try
        {
            GrpcMessageWriter.Write(_frame, message, options);
        }
        catch
        {
            _frame.Dispose();
            throw;
        }

        GrpcContentHeaders.SetGrpcContentType(Headers);
    }

    /// <summary>Completes when the transport starts sending the body: the connection is up and the request headers are out.</summary>
    public Task SendStarted
    {
        get
        {
            if (_sendStarted is null)
            {
                Interlocked.CompareExchange(ref _sendStarted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
            }

            return _sendStarted.Task;
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _references) == 1)
        {
            // Already released by the owner: nothing valid to send.
            Interlocked.Decrement(ref _references);
            throw new ObjectDisposedException(nameof(UnaryRequestContent));
        }

        try
        {
            Volatile.Read(ref _sendStarted)?.TrySetResult();
            await stream.WriteAsync(_frame.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _frame.WrittenCount;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            Release();
        }

        base.Dispose(disposing);
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _frame.Dispose();
        }
    }
}
