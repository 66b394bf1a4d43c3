using System.IO.Pipelines;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Server.Grpc;

/// <summary>Writes streamed responses into Kestrel's response body pipe.</summary>
internal sealed class HttpGrpcStreamWriter<T>(ServerCallContext call, IGrpcServerMetrics? metrics) : IGrpcStreamWriter<T>
    where T : class, IMessage<T>
{
    // 0 = idle, 1 = a write or flush is in progress; overlapping writes would interleave frames.
    private int _busy;

    public async ValueTask WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            WriteFrame(message);
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
            WriteFrame(message);
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

    private void Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException(
                $"{call.Method.Path}: a write on this response stream is already in progress; writes on one stream must not overlap");
        }
    }

    private void WriteFrame(T message)
    {
        var response = call.HttpContext.Response;
        if (!call.ResponseMessagesWritten)
        {
            GrpcCallSetup.SetResponseHeaders(response, call.WriteOptions.Compression);
        }

        GrpcMessageWriter.Write(response.BodyWriter, message, call.WriteOptions);
        call.ResponseMessagesWritten = true;
        metrics?.MessageSent(call.Method);
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
