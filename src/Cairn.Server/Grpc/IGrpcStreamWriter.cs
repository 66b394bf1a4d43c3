using Google.Protobuf;

namespace Cairn.Server.Grpc;

/// <summary>
/// The response side of a streaming call. Not thread-safe: one write or flush at a time (overlapping calls throw
/// <see cref="InvalidOperationException"/>); a service that produces responses from several sources must serialize them.
/// </summary>
/// <typeparam name="T">The response message type.</typeparam>
public interface IGrpcStreamWriter<in T>
    where T : class, IMessage<T>
{
    /// <summary>
    /// Writes one message and flushes it to the client. Completes when the transport accepted the bytes, so a slow
    /// client makes it wait (HTTP/2 flow control): producers must not hold locks shared with other calls across it.
    /// </summary>
    /// <exception cref="OperationCanceledException">The call was cancelled (client gone, deadline).</exception>
    ValueTask WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Serializes one message into the response buffer without sending it; <see cref="FlushAsync"/> sends it. For batching several messages into one write.</summary>
    void WriteBuffered(T message);

    /// <summary>Sends everything written with <see cref="WriteBuffered"/>.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
