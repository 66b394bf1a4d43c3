using System.Net;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Client.Grpc;

/// <summary>
/// Runs gRPC calls over the channel's HTTP/2 connections: builds the request (path, metadata, deadline), picks the
/// endpoint, fails over when allowed, and turns transport failures into statuses.
/// </summary>
public sealed partial class GrpcCallInvoker : IDisposable
{
    private const string UserAgent = "cairn-client/" + "0.1";
    private readonly GrpcChannel _channel;
    private readonly EtcdClientOptions _options;
    private readonly GrpcWriteOptions _writeOptions;

    internal GrpcCallInvoker(EtcdClientOptions options)
    {
        _options = options;
        _channel = new GrpcChannel(options);
        _writeOptions = new GrpcWriteOptions(options.MaxSendMessageBytes, options.RequestCompression);
    }

    internal AuthSession? Auth { get; set; }

    /// <summary>How many endpoints the client knows.</summary>
    public int EndpointCount => _channel.EndpointCount;

    /// <summary>Makes a unary call.</summary>
    /// <param name="path">The method path, e.g. <c>/etcdserverpb.KV/Range</c>.</param>
    /// <param name="request">The request message.</param>
    /// <param name="parser">The response parser.</param>
    /// <param name="retry">Whether the call may be repeated on another endpoint after it may have reached a server.</param>
    /// <param name="options">Timeout, cancellation, metadata.</param>
    /// <exception cref="RpcException">The call failed; the status code and the server's exact message.</exception>
    public Task<TResponse> UnaryAsync<TRequest, TResponse>(string path, TRequest request, MessageParser<TResponse> parser, RetryPolicy retry, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        return Auth is null
            ? UnaryWithFailoverAsync(path, request, parser, retry, options, endpointIndex: null, sendToken: true)
            : UnaryWithAuthAsync(path, request, parser, retry, options, endpointIndex: null);
    }

    /// <summary>Makes a unary call to one specific endpoint (no failover), e.g. for <c>endpoint status</c> on each endpoint.</summary>
    public Task<TResponse> UnaryToEndpointAsync<TRequest, TResponse>(int endpointIndex, string path, TRequest request, MessageParser<TResponse> parser, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(endpointIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(endpointIndex, _channel.EndpointCount);
        return Auth is null
            ? UnaryWithFailoverAsync(path, request, parser, RetryPolicy.NonRepeatable, options, endpointIndex, sendToken: true)
            : UnaryWithAuthAsync(path, request, parser, RetryPolicy.NonRepeatable, options, endpointIndex);
    }

    /// <summary>A unary call that never carries or refreshes the auth token (Authenticate itself).</summary>
    internal Task<TResponse> UnauthenticatedUnaryAsync<TRequest, TResponse>(string path, TRequest request, MessageParser<TResponse> parser, RetryPolicy retry, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        UnaryWithFailoverAsync(path, request, parser, retry, options, endpointIndex: null, sendToken: false);

    /// <summary>The endpoint URL at <paramref name="endpointIndex"/>, e.g. <c>http://127.0.0.1:2379</c>.</summary>
    public string EndpointName(int endpointIndex) => _channel.EndpointAt(endpointIndex).ToString();

    /// <summary>Closes every connection.</summary>
    public void Dispose() => _channel.Dispose();

    private async Task<TResponse> UnaryWithAuthAsync<TRequest, TResponse>(string path, TRequest request, MessageParser<TResponse> parser, RetryPolicy retry, CallOptions options, int? endpointIndex)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        AuthSession auth = Auth!;
        await auth.EnsureAuthenticatedAsync(options).ConfigureAwait(false);
        try
        {
            return await UnaryWithFailoverAsync(path, request, parser, retry, options, endpointIndex, sendToken: true).ConfigureAwait(false);
        }
        catch (RpcException error) when (auth.IsStaleTokenError(error))
        {
            // clientv3 re-authenticates once when the server no longer accepts the token.
            await auth.AuthenticateAsync(options).ConfigureAwait(false);
            return await UnaryWithFailoverAsync(path, request, parser, retry, options, endpointIndex, sendToken: true).ConfigureAwait(false);
        }
    }

    private async Task<TResponse> UnaryWithFailoverAsync<TRequest, TResponse>(string path, TRequest request, MessageParser<TResponse> parser, RetryPolicy retry, CallOptions options, int? endpointIndex, bool sendToken)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        using var deadline = new CallDeadline(options.CancellationToken, options.Timeout ?? _options.DefaultCallTimeout, cancellable: false);
        using var content = new UnaryRequestContent(request, _writeOptions);
        int attempts = endpointIndex is null ? _channel.EndpointCount : 1;
        int firstAttemptIndex = _channel.FirstAttemptIndex;
        for (int attempt = 0; ; attempt++)
        {
            GrpcEndpoint endpoint = endpointIndex is { } fixedIndex ? _channel.EndpointAt(fixedIndex) : _channel.EndpointForAttempt(firstAttemptIndex, attempt);
            RpcException error;
            bool neverSent;
            try
            {
                return await SendUnaryAsync(endpoint, path, content, parser, deadline, options, sendToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                error = GrpcTransportErrors.ToRpcException(exception, deadline, endpoint, out neverSent);
            }

            bool mayRetry = neverSent || (retry == RetryPolicy.Repeatable && error.StatusCode == GrpcStatusCode.Unavailable);
            if (!mayRetry || attempt + 1 >= attempts || deadline.Token.IsCancellationRequested)
            {
                throw error;
            }

            _channel.ReportFailure(endpoint);
        }
    }

    private async Task<TResponse> SendUnaryAsync<TResponse>(GrpcEndpoint endpoint, string path, UnaryRequestContent content, MessageParser<TResponse> parser, CallDeadline deadline, CallOptions options, bool sendToken)
        where TResponse : class, IMessage<TResponse>
    {
        HttpRequestMessage request = NewRequest(endpoint, path, content, deadline, options, sendToken);
        using HttpResponseMessage response = await endpoint.NextConnection().SendAsync(request, deadline.Token).ConfigureAwait(false);
        RpcException? headerStatus = GrpcResponseHeaders.Check(response, out GrpcCompression compression, out bool trailersOnlyOk);
        if (headerStatus is not null)
        {
            throw headerStatus;
        }

        if (trailersOnlyOk)
        {
            throw NoResponseMessage();
        }

        var readOptions = new GrpcReadOptions(_options.MaxReceiveMessageBytes, compression, GrpcPeerRole.Client);
        // The synchronous form just hands over the response stream; it does not block and saves a Task.
        Stream body = response.Content.ReadAsStream(deadline.Token);
        TResponse? message = await GrpcStreamMessageReader.ReadAsync(body, parser, readOptions, deadline.Token).ConfigureAwait(false);
        if (message is not null && await GrpcStreamMessageReader.ReadAsync(body, parser, readOptions, deadline.Token).ConfigureAwait(false) is not null)
        {
            throw new RpcException(GrpcStatusCode.Internal, "cardinality violation: expected <EOF> for non server-streaming RPCs, but received another message");
        }

        if (GrpcResponseHeaders.ReadTrailers(response) is { } status)
        {
            throw status;
        }

        return message ?? throw NoResponseMessage();
    }

    private static RpcException NoResponseMessage() =>
        new(GrpcStatusCode.Internal, "cardinality violation: received no response message from non-streaming RPC");

    // The request is deliberately not disposed: that would dispose the content, which is shared by every attempt.
    private HttpRequestMessage NewRequest(GrpcEndpoint endpoint, string path, HttpContent content, in CallDeadline deadline, in CallOptions options, bool sendToken = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint.MethodUri(path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcHeaders.TE, GrpcHeaders.TETrailers);
        headers.TryAddWithoutValidation(GrpcHeaders.UserAgent, UserAgent);
        if (deadline.TimeoutHeader() is { } timeout)
        {
            headers.TryAddWithoutValidation(GrpcHeaders.Timeout, timeout);
        }

        if (_options.RequestCompression == GrpcCompression.Gzip)
        {
            headers.TryAddWithoutValidation(GrpcHeaders.Encoding, GrpcHeaders.GzipEncoding);
            headers.TryAddWithoutValidation(GrpcHeaders.AcceptEncoding, GrpcHeaders.SupportedEncodings);
        }

        headers.TryAddWithoutValidation(EtcdMetadata.ClientApiVersion, _options.ClientApiVersion);
        if (sendToken && Auth?.Token is { } token)
        {
            headers.TryAddWithoutValidation(EtcdMetadata.Token, token);
        }

        if (options.RequireLeader)
        {
            headers.TryAddWithoutValidation(EtcdMetadata.HasLeader, EtcdMetadata.HasLeaderTrue);
        }

        return request;
    }
}
