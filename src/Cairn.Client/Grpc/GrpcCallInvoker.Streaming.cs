using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Client.Grpc;

/// <summary>Opening streaming calls, with failover while the connection cannot be opened.</summary>
public sealed partial class GrpcCallInvoker
{
    /// <summary>Starts a server-streaming call; returns once the request is on the wire.</summary>
    /// <exception cref="RpcException">No endpoint could be reached, or the call failed at once.</exception>
    public async Task<ServerStreamingCall<TResponse>> ServerStreamingAsync<TRequest, TResponse>(string path, TRequest request, MessageParser<TResponse> parser, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        if (Auth is { } auth)
        {
            await auth.EnsureAuthenticatedAsync(options).ConfigureAwait(false);
        }

        int firstAttemptIndex = _channel.FirstAttemptIndex;
        for (int attempt = 0; ; attempt++)
        {
            GrpcEndpoint endpoint = _channel.EndpointForAttempt(firstAttemptIndex, attempt);
            var deadline = new CallDeadline(options.CancellationToken, options.Timeout, cancellable: true);
            var content = new UnaryRequestContent(request, _writeOptions);
            Task sendStarted = content.SendStarted; // created before the send begins, so it cannot miss the start
            var core = new StreamingCallCore<TResponse>(endpoint, NewRequest(endpoint, path, content, deadline, options), deadline, parser, _options.MaxReceiveMessageBytes);
            RpcException? unreachable = await OpenOrDisposeAsync(core, sendStarted).ConfigureAwait(false);
            if (unreachable is null)
            {
                return new ServerStreamingCall<TResponse>(core);
            }

            FailOverOrThrow(endpoint, unreachable, attempt);
        }
    }

    /// <summary>Starts a bidirectional-streaming call; returns once the stream is open and requests can be written.</summary>
    /// <exception cref="RpcException">No endpoint could be reached, or the call failed at once.</exception>
    public async Task<DuplexStreamingCall<TRequest, TResponse>> DuplexStreamingAsync<TRequest, TResponse>(string path, MessageParser<TResponse> parser, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        if (Auth is { } auth)
        {
            await auth.EnsureAuthenticatedAsync(options).ConfigureAwait(false);
        }

        int firstAttemptIndex = _channel.FirstAttemptIndex;
        for (int attempt = 0; ; attempt++)
        {
            GrpcEndpoint endpoint = _channel.EndpointForAttempt(firstAttemptIndex, attempt);
            var deadline = new CallDeadline(options.CancellationToken, options.Timeout, cancellable: true);
            var content = new DuplexRequestContent();
            var core = new StreamingCallCore<TResponse>(endpoint, NewRequest(endpoint, path, content, deadline, options), deadline, parser, _options.MaxReceiveMessageBytes);
            RpcException? unreachable = await OpenOrDisposeAsync(core, content.RequestStream).ConfigureAwait(false);
            if (unreachable is null)
            {
                return new DuplexStreamingCall<TRequest, TResponse>(core, content, _writeOptions);
            }

            content.Abort(unreachable);
            FailOverOrThrow(endpoint, unreachable, attempt);
        }
    }

    private static async Task<RpcException?> OpenOrDisposeAsync<TResponse>(StreamingCallCore<TResponse> core, Task sendStarted)
        where TResponse : class, IMessage<TResponse>
    {
        try
        {
            RpcException? unreachable = await core.WaitUntilSentAsync(sendStarted).ConfigureAwait(false);
            if (unreachable is not null)
            {
                await core.DisposeAsync().ConfigureAwait(false);
            }

            return unreachable;
        }
        catch
        {
            await core.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void FailOverOrThrow(GrpcEndpoint endpoint, RpcException unreachable, int attempt)
    {
        if (attempt + 1 >= _channel.EndpointCount)
        {
            throw unreachable;
        }

        _channel.ReportFailure(endpoint);
    }
}
