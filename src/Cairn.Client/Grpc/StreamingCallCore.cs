using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Client.Grpc;

/// <summary>What server-streaming and bidirectional calls share: the HTTP exchange, its cancellation, and the response reader.</summary>
internal sealed class StreamingCallCore<TResponse> : IAsyncDisposable
    where TResponse : class, IMessage<TResponse>
{
    private readonly CallDeadline _deadline;
    private readonly HttpRequestMessage _request;
    private readonly GrpcResponseReader<TResponse> _reader;
    private int _disposed;

    public StreamingCallCore(GrpcEndpoint endpoint, HttpRequestMessage request, CallDeadline deadline, MessageParser<TResponse> parser, int maxReceiveMessageBytes)
    {
        Endpoint = endpoint;
        _request = request;
        _deadline = deadline;
        ResponseTask = endpoint.NextConnection().SendAsync(request, deadline.Token);
        _reader = new GrpcResponseReader<TResponse>(ResponseTask, parser, maxReceiveMessageBytes);
    }

    public GrpcEndpoint Endpoint { get; }

    /// <summary>Completes when the response headers arrive.</summary>
    public Task<HttpResponseMessage> ResponseTask { get; }

    public CancellationToken CallToken => _deadline.Token;

    public bool Finished => _reader.Finished;

    /// <summary>The call's error status once the reader has seen it; null while running or after OK.</summary>
    public RpcException? FinalError => _reader.FinalError;

    /// <summary>
    /// Waits until the request is on the wire (<paramref name="sendStarted"/>) or the exchange failed. Returns the
    /// error when the connection could not be opened (safe to try another endpoint); throws any other failure.
    /// </summary>
    public async Task<RpcException?> WaitUntilSentAsync(Task sendStarted)
    {
        Task first = await Task.WhenAny(sendStarted, ResponseTask).ConfigureAwait(false);
        if (first == sendStarted || ResponseTask.IsCompletedSuccessfully)
        {
            return null;
        }

        Exception failure = ResponseTask.Exception?.InnerException ?? new OperationCanceledException();
        RpcException error = GrpcTransportErrors.ToRpcException(failure, _deadline, Endpoint, out bool neverSent);
        if (neverSent)
        {
            return error;
        }

        throw _reader.Fail(error);
    }

    public async ValueTask<TResponse?> ReadAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource? linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token)
            : null;
        try
        {
            return await _reader.ReadAsync(linked?.Token ?? _deadline.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw _reader.Fail(MapReadFailure(exception, cancellationToken));
        }
        finally
        {
            linked?.Dispose();
        }
    }

    /// <summary>
    /// The status to report after a failed write: the call's own status when it is already known (the server ended
    /// the call, e.g. with an error), else the transport failure. Never reads the stream: responses stay for the reader.
    /// </summary>
    public RpcException ExplainWriteFailure(Exception exception)
    {
        if (exception is RpcException rpc)
        {
            return rpc;
        }

        if (_reader.FinalError is { } finalStatus)
        {
            return finalStatus;
        }

        if (ResponseTask.IsCompletedSuccessfully
            && GrpcResponseHeaders.Check(ResponseTask.Result, out _, out _) is { } trailersOnlyStatus)
        {
            return trailersOnlyStatus;
        }

        return GrpcTransportErrors.ToRpcException(exception, _deadline, Endpoint, out _);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_reader.Finished)
        {
            // Abandoning a live call resets its HTTP/2 stream, which the server sees as a client cancel.
            _deadline.Cancel();
        }

        try
        {
            await ResponseTask.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The exchange's own failure was reported to whoever read it.
        }

        _reader.Dispose();
        _request.Dispose();
        _deadline.Dispose();
    }

    private RpcException MapReadFailure(Exception exception, CancellationToken readToken)
    {
        if (readToken.IsCancellationRequested && !_deadline.Token.IsCancellationRequested)
        {
            return new RpcException(GrpcStatusCode.Canceled, "context canceled", exception);
        }

        return GrpcTransportErrors.ToRpcException(exception, _deadline, Endpoint, out _);
    }
}
