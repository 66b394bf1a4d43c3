using System.Threading.Tasks.Sources;
using Cairn.Protocol.Grpc;

namespace Cairn.Bench.Http2;

/// <summary>
/// One HTTP/2 stream carrying one gRPC call. Streams are pooled by their connection: the caller starts a call, waits
/// for it, reads the status and response, and hands the stream back with <see cref="Http2Connection.Release"/>.
/// </summary>
/// <remarks>
/// Threads: the response side is written only by the connection's read loop and read by the caller after the call
/// ended (unary) or through the message queue (streaming); the send side is guarded by the connection's lock.
/// Completion runs the caller's continuation inline on the read loop, so a load generator's next request is queued
/// in the same pass and written with the others in one socket write.
/// </remarks>
internal sealed partial class Http2Stream : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _completion;

    internal Http2Stream(Http2Connection owner)
    {
        Owner = owner;
        _completion.RunContinuationsAsynchronously = false;
    }

    /// <summary>The connection this stream belongs to.</summary>
    public Http2Connection Owner { get; }

    /// <summary>The stream id; 0 until the stream is opened on the wire.</summary>
    public int Id { get; internal set; }

    /// <summary>True for streaming calls: response messages are queued one by one instead of kept whole.</summary>
    public bool IsStreaming { get; private set; }

    /// <summary>The final status; valid once the call ended.</summary>
    public GrpcStatusCode Status { get; private set; }

    /// <summary>The final status message (empty for OK); valid once the call ended.</summary>
    public string StatusMessage { get; private set; } = string.Empty;

    /// <summary>True once the call ended (trailers, reset, or connection failure).</summary>
    public bool Ended { get; private set; }

    // Bumped on every reuse, so queued references to an earlier call on this object can tell they are stale.
    internal int Incarnation { get; private set; }

    // --- send side, guarded by the connection's lock
    internal long SendWindow;
    internal bool LocalEnded;
    internal bool InSendQueue;
    internal bool Removed;
    internal Cairn.Bench.Hpack.HpackHeaderList? PendingHeaders;
    private byte[]? _pendingSend;
    private int _pendingSendStart;
    private int _pendingSendEnd;
    internal bool PendingEndStream;

    // --- receive side, read loop only
    internal int ReceivedSinceWindowUpdate;

    internal int PendingSendBytes => _pendingSendEnd - _pendingSendStart;

    internal ReadOnlySpan<byte> PendingSendSpan => _pendingSend.AsSpan(_pendingSendStart, PendingSendBytes);

    /// <summary>Waits for the end of a unary call; then read <see cref="Status"/> and <see cref="ResponseMessage"/>.</summary>
    public ValueTask WaitAsync() => new(this, _completion.Version);

    internal void Prepare(bool streaming, int maxQueuedBytes)
    {
        IsStreaming = streaming;
        if (streaming)
        {
            PrepareMessageQueue(maxQueuedBytes);
        }
    }

    // Appends request bytes that cannot be written yet (no window, no stream slot).
    internal void AppendPendingSend(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        int needed = first.Length + second.Length;
        if (_pendingSend is null || _pendingSendEnd + needed > _pendingSend.Length)
        {
            int keep = PendingSendBytes;
            var larger = new byte[Math.Max(keep + needed, Math.Max(256, (_pendingSend?.Length ?? 0) * 2))];
            PendingSendSpan.CopyTo(larger);
            _pendingSend = larger;
            _pendingSendStart = 0;
            _pendingSendEnd = keep;
        }

        first.CopyTo(_pendingSend.AsSpan(_pendingSendEnd));
        second.CopyTo(_pendingSend.AsSpan(_pendingSendEnd + first.Length));
        _pendingSendEnd += needed;
    }

    internal void ConsumePendingSend(int bytes) => _pendingSendStart += bytes;

    internal void DropPendingSend()
    {
        _pendingSendStart = _pendingSendEnd = 0;
        PendingEndStream = false;
    }

    // Ends the call: exactly once per incarnation, by whoever removed the stream from the connection.
    internal void Complete(GrpcStatusCode status, string message)
    {
        Status = status;
        StatusMessage = message;
        Ended = true;
        if (IsStreaming)
        {
            CompleteMessageQueue();
        }

        _completion.SetResult(true);
    }

    // Called by the connection when the stream goes back to the pool.
    internal void ResetForReuse()
    {
        Incarnation++;
        Id = 0;
        Status = GrpcStatusCode.OK;
        StatusMessage = string.Empty;
        Ended = false;
        SendWindow = 0;
        LocalEnded = false;
        InSendQueue = false;
        Removed = false;
        PendingHeaders = null;
        DropPendingSend();
        ReceivedSinceWindowUpdate = 0;
        ResetResponse();
        _completion.Reset();
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
