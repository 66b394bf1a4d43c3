using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Cairn.Protocol.Grpc;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Grpc;

/// <summary>
/// What a handler knows about its call: metadata (request headers), deadline, cancellation and peer.
/// Valid only while the handler runs.
/// </summary>
public sealed class ServerCallContext : IDisposable
{
    private readonly TimeSpan? _timeout;
    private readonly long _startTimestamp;
    private readonly CancellationToken _serverStopping;
    private readonly CancellationTokenSource? _streamSource;
    private readonly CancellationToken _baseToken;
    private CancellationTokenSource? _deadlineSource;

    internal ServerCallContext(HttpContext httpContext, GrpcMethodInfo method, TimeSpan? timeout, in GrpcReadOptions readOptions, in GrpcWriteOptions writeOptions, CancellationToken serverStopping)
    {
        HttpContext = httpContext;
        Method = method;
        ReadOptions = readOptions;
        WriteOptions = writeOptions;
        _timeout = timeout;
        _startTimestamp = Stopwatch.GetTimestamp();
        _serverStopping = serverStopping;

        // Streams (watch, keepalive) would otherwise hold up shutdown for as long as their clients keep them open;
        // unary calls end by themselves and keep the cheaper token.
        if (method.Kind != GrpcMethodKind.Unary && serverStopping.CanBeCanceled)
        {
            _streamSource = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, serverStopping);
            _baseToken = _streamSource.Token;
        }
        else
        {
            _baseToken = httpContext.RequestAborted;
        }
    }

    /// <summary>
    /// A call context for invoking a registered handler in-process from another HTTP request (the JSON gateway):
    /// metadata comes from that request's headers (an HTTP <c>Authorization</c> header is read as the etcd token),
    /// cancellation from its <c>RequestAborted</c> and server shutdown. Dispose it when the handler has finished.
    /// </summary>
    /// <param name="httpContext">The request being served.</param>
    /// <param name="method">The method, as returned by the registry's <c>Add*</c> call.</param>
    /// <param name="timeout">An optional deadline for the handler.</param>
    /// <param name="serverStopping">Cancels stream handlers on shutdown (<c>IHostApplicationLifetime.ApplicationStopping</c>).</param>
    public static ServerCallContext ForInProcessCall(HttpContext httpContext, GrpcMethodInfo method, TimeSpan? timeout = null, CancellationToken serverStopping = default)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(method);
        var readOptions = new GrpcReadOptions(GrpcServerOptions.DefaultMaxRequestBytes + GrpcServerOptions.ReceiveAllowanceBytes, GrpcCompression.Identity, GrpcPeerRole.Server);
        var writeOptions = new GrpcWriteOptions(int.MaxValue, GrpcCompression.Identity);
        return new ServerCallContext(httpContext, method, timeout, readOptions, writeOptions, serverStopping);
    }

    /// <summary>The method being called.</summary>
    public GrpcMethodInfo Method { get; }

    /// <summary>When the client stops waiting (UTC), from <c>grpc-timeout</c>; null when the client set none.</summary>
    public DateTime? Deadline => _timeout is { } timeout ? DateTime.UtcNow - Stopwatch.GetElapsedTime(_startTimestamp) + timeout : null;

    /// <summary>
    /// Fires when the client cancels the call, the deadline passes or the connection is lost. The deadline timer is
    /// only created when a handler asks for this token, so calls that complete without waiting never pay for it.
    /// </summary>
    public CancellationToken CancellationToken => _timeout is null ? _baseToken : DeadlineSource().Token;

    /// <summary>True when the call is being cancelled because the server is shutting down.</summary>
    public bool ServerStopping => _serverStopping.IsCancellationRequested && !HttpContext.RequestAborted.IsCancellationRequested;

    /// <summary>True once the deadline has passed (and the call was not cancelled by the client first).</summary>
    /// <remarks>The timer may fire a hair before a stopwatch says the time is up, so a fired timer counts too.</remarks>
    public bool DeadlineExceeded =>
        _timeout is { } timeout
        && (_deadlineSource is { IsCancellationRequested: true } || Stopwatch.GetElapsedTime(_startTimestamp) >= timeout)
        && !HttpContext.RequestAborted.IsCancellationRequested
        && !_serverStopping.IsCancellationRequested;

    /// <summary>The underlying HTTP/2 request, for anything not surfaced here.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>All request metadata (HTTP/2 headers; keys are lower case).</summary>
    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;

    /// <summary>
    /// The etcd auth token: metadata <c>token</c>, else <c>authorization</c> (what the JSON gateway forwards); null when neither is set.
    /// </summary>
    public string? AuthToken => GetMetadata(EtcdMetadata.Token) ?? GetMetadata(EtcdMetadata.Authorization);

    /// <summary>True when the client sent <c>hasleader: true</c> (fail with <c>etcdserver: no leader</c> when there is none).</summary>
    public bool RequiresLeader => string.Equals(GetMetadata(EtcdMetadata.HasLeader), EtcdMetadata.HasLeaderTrue, StringComparison.Ordinal);

    /// <summary>The client's <c>client-api-version</c> metadata, or null.</summary>
    public string? ClientApiVersion => GetMetadata(EtcdMetadata.ClientApiVersion);

    /// <summary>The client's address and port, when known.</summary>
    public IPEndPoint? RemoteEndPoint =>
        HttpContext.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, HttpContext.Connection.RemotePort) : null;

    /// <summary>The client's TLS certificate, when it presented one.</summary>
    public X509Certificate2? ClientCertificate => HttpContext.Connection.ClientCertificate;

    internal GrpcReadOptions ReadOptions { get; }

    internal GrpcWriteOptions WriteOptions { get; }

    /// <summary>True once a response message was written into the body, so the status must go in the trailers.</summary>
    internal bool ResponseMessagesWritten { get; set; }

    /// <summary>The first value of a metadata key (lower case), or null.</summary>
    public string? GetMetadata(string key)
    {
        return HttpContext.Request.Headers.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;
    }

    /// <summary>Releases the deadline timer.</summary>
    public void Dispose()
    {
        _deadlineSource?.Dispose();
        _streamSource?.Dispose();
    }

    private CancellationTokenSource DeadlineSource()
    {
        if (_deadlineSource is { } existing)
        {
            return existing;
        }

        var created = CancellationTokenSource.CreateLinkedTokenSource(_baseToken);
        TimeSpan remaining = _timeout!.Value - Stopwatch.GetElapsedTime(_startTimestamp);
        created.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        CancellationTokenSource? raced = Interlocked.CompareExchange(ref _deadlineSource, created, null);
        if (raced is null)
        {
            return created;
        }

        created.Dispose();
        return raced;
    }
}
