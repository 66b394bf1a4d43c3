using System.IO.Pipelines;
using Google.Protobuf;

namespace Cairn.Server.Grpc;

/// <summary>
/// A streaming call's responses written into Kestrel's response body pipe by a single writer: the framing (gRPC
/// length prefix or the gateway's JSON chunks) is the subclass's; overlapping writes are refused because they would
/// interleave frames.
/// </summary>
internal abstract class ResponseBodyStreamWriter<T>(ServerCallContext call) : IGrpcStreamWriter<T>
    where T : class, IMessage<T>
{
    // 0 = idle, 1 = a write or flush is in progress.
    private int _busy;

    protected ServerCallContext Call => call;

    public async ValueTask WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            WriteMessage(message);
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public void WriteBuffered(T message)
    {
        Enter();
        try
        {
            WriteMessage(message);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Appends one message, framed, to the response body without flushing it.</summary>
    protected abstract void WriteMessage(T message);

    private void Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException(
                $"{call.Method.Path}: a write on this response stream is already in progress; writes on one stream must not overlap");
        }
    }

    private async ValueTask FlushCoreAsync(CancellationToken cancellationToken)
    {
        CancellationToken token = cancellationToken.CanBeCanceled ? cancellationToken : call.CancellationToken;
        FlushResult result = await call.HttpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("the client is gone: the response stream was closed", token);
        }
    }
}
