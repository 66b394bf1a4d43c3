using System.Net.Sockets;
using Cairn.Bench.Hpack;
using Cairn.Protocol.Grpc;

namespace Cairn.Bench.Http2;

/// <summary>
/// A lean HTTP/2 client connection for gRPC (cleartext, prior knowledge): one TCP connection carrying any number of
/// concurrent streams. Built for a load generator: request headers are pre-encoded per method, frames from many
/// callers are gathered into one buffer and written together, responses are parsed in place, and finished streams
/// are pooled, so a call allocates nothing in steady state.
/// </summary>
/// <remarks>
/// Thread model: any thread may start calls; one read loop per connection parses frames and completes calls
/// (their continuations run inline on it). One lock guards the send side and the stream table.
/// Not supported: TLS, server push (disabled in SETTINGS), request compression, reconnecting after a failure.
/// </remarks>
internal sealed partial class Http2Connection : IDisposable
{
    private readonly Socket _socket;
    private readonly Http2ConnectionOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Http2Stream> _streams = new();
    private readonly Stack<Http2Stream> _pool = new();
    private readonly TaskCompletionSource _settingsReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (GrpcStatusCode Status, string Message)? _closed;

    private Http2Connection(Socket socket, string authority, Http2ConnectionOptions options)
    {
        _socket = socket;
        _options = options;
        Authority = authority;
        _encoder = new HpackEncoder();
        _decoder = new HpackDecoder(options.HeaderTableBytes, options.MaxHeaderListBytes);
        _pending = new byte[InitialWriteBufferBytes];
    }

    /// <summary>The <c>:authority</c> of requests on this connection (host:port).</summary>
    public string Authority { get; }

    /// <summary>The options the connection was made with.</summary>
    public Http2ConnectionOptions Options => _options;

    /// <summary>Why the connection is closed, or null while it is usable.</summary>
    public string? ClosedReason
    {
        get
        {
            lock (_lock)
            {
                return _closed?.Message;
            }
        }
    }

    /// <summary>Connects, sends the preface and our SETTINGS, and waits for the server's SETTINGS.</summary>
    /// <exception cref="IOException">The server cannot be reached or did not speak HTTP/2 in time.</exception>
    public static async Task<Http2Connection> ConnectAsync(string host, int port, Http2ConnectionOptions options, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            string why = exception is OperationCanceledException ? $"no answer within {options.ConnectTimeout.TotalSeconds:0.#} s" : exception.Message;
            throw new IOException($"cannot connect to {host}:{port}: {why}", exception);
        }

        var connection = new Http2Connection(socket, $"{host}:{port}", options);
        connection.Start();
        try
        {
            await connection._settingsReceived.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            connection.Dispose();
            string why = exception is OperationCanceledException ? "it sent no HTTP/2 SETTINGS in time (is it an HTTP/2 gRPC server?)" : exception.Message;
            throw new IOException($"HTTP/2 handshake with {host}:{port} failed: {why}", exception);
        }

        return connection;
    }

    /// <summary>
    /// Starts a unary call: HEADERS, then <paramref name="message"/> framed as one gRPC message with END_STREAM.
    /// Await <see cref="Http2Stream.WaitAsync"/>, read the outcome, then <see cref="Release"/> the stream.
    /// </summary>
    public Http2Stream StartUnary(HpackHeaderList headers, ReadOnlySpan<byte> message) => Start(headers, message, unary: true);

    /// <summary>Opens a streaming call (HEADERS only); send with <see cref="SendMessage"/>, read with the stream's message queue.</summary>
    public Http2Stream StartStreaming(HpackHeaderList headers) => Start(headers, default, unary: false);

    /// <summary>Sends one message on an open streaming call; false if the call has ended.</summary>
    public bool SendMessage(Http2Stream stream, ReadOnlySpan<byte> message) => Send(stream, message, endStream: false, framed: true);

    /// <summary>Half-closes a streaming call (no more requests); false if the call has ended.</summary>
    public bool CompleteRequests(Http2Stream stream) => Send(stream, default, endStream: true, framed: false);

    /// <summary>Cancels a call that has not ended: RST_STREAM(CANCEL), and the call ends with status Canceled.</summary>
    public void Cancel(Http2Stream stream)
    {
        bool removed, flush = false;
        lock (_lock)
        {
            removed = RemoveLocked(stream);
            if (removed && stream.Id != 0 && _closed is null)
            {
                WriteRstStreamLocked(stream.Id, Http2ErrorCode.Cancel);
                flush = ClaimFlushLocked();
            }
        }

        if (removed)
        {
            stream.Complete(GrpcStatusCode.Canceled, "context canceled");
        }

        if (flush)
        {
            StartFlush();
        }
    }

    /// <summary>Hands an ended stream back for reuse. The stream and its response must not be used afterwards.</summary>
    public void Release(Http2Stream stream)
    {
        Cairn.Protocol.Invariant.Check(stream.Ended && ReferenceEquals(stream.Owner, this), "only an ended stream of this connection is released");
        stream.ResetForReuse();
        lock (_lock)
        {
            if (_pool.Count < _options.MaxPooledStreams)
            {
                _pool.Push(stream);
            }
        }
    }

    /// <summary>Closes the connection; calls still running end with Unavailable.</summary>
    public void Dispose() => Abort("the client closed the connection");

    private Http2Stream Start(HpackHeaderList headers, ReadOnlySpan<byte> message, bool unary)
    {
        Http2Stream stream;
        (GrpcStatusCode Status, string Message)? failure;
        bool flush = false;
        lock (_lock)
        {
            stream = _pool.Count > 0 ? _pool.Pop() : new Http2Stream(this);
            stream.Prepare(streaming: !unary, _options.MaxQueuedStreamBytes);
            failure = _closed ?? (_goAwayReceived ? (GrpcStatusCode.Unavailable, "the server is closing the connection (GOAWAY)") : null);
            if (failure is null)
            {
                OpenOrQueueLocked(stream, headers, message, unary);
                flush = ClaimFlushLocked();
            }
        }

        if (failure is { } why)
        {
            stream.Complete(why.Status, why.Message);
        }

        if (flush)
        {
            StartFlush();
        }

        return stream;
    }

    private bool Send(Http2Stream stream, ReadOnlySpan<byte> message, bool endStream, bool framed)
    {
        bool flush;
        lock (_lock)
        {
            if (stream.Removed || stream.LocalEnded || _closed is not null)
            {
                return false;
            }

            if (stream.Id == 0)
            {
                // Still waiting for a stream slot: the bytes wait with it.
                QueueBytesLocked(stream, message, endStream, framed);
            }
            else
            {
                SendDataLocked(stream, message, endStream, framed);
            }

            flush = ClaimFlushLocked();
        }

        if (flush)
        {
            StartFlush();
        }

        return true;
    }

    // Takes a stream out of the table (and the stream-slot accounting). The caller that removed it completes it.
    private bool RemoveLocked(Http2Stream stream)
    {
        if (stream.Removed || stream.Ended)
        {
            return false;
        }

        stream.Removed = true;
        if (stream.Id != 0 && _streams.Remove(stream.Id))
        {
            _openStreams--;
            if (!stream.LocalEnded && _closed is null)
            {
                // Unsent request bytes are dropped; tell the server this side is done.
                stream.DropPendingSend();
            }

            OpenWaitingStreamsLocked();
        }

        return true;
    }

    // Fails the connection and every call on it. Idempotent.
    private void Abort(string reason)
    {
        List<Http2Stream> victims;
        lock (_lock)
        {
            if (_closed is not null)
            {
                return;
            }

            _closed = (GrpcStatusCode.Unavailable, reason);
            victims = new List<Http2Stream>(_streams.Values);
            victims.AddRange(_waitingForSlot);
            _waitingForSlot.Clear();
            foreach (Http2Stream stream in victims)
            {
                stream.Removed = true;
            }

            _streams.Clear();
            _openStreams = 0;
        }

        _socket.Dispose();
        _settingsReceived.TrySetException(new IOException(reason));
        foreach (Http2Stream stream in victims)
        {
            stream.Complete(GrpcStatusCode.Unavailable, reason);
        }
    }
}
