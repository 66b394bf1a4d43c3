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
    private readonly CancellationTokenSource? _deadlineSource;

    internal ServerCallContext(HttpContext httpContext, GrpcMethodInfo method, TimeSpan? timeout, in GrpcReadOptions readOptions, in GrpcWriteOptions writeOptions)
    {
        HttpContext = httpContext;
        Method = method;
        ReadOptions = readOptions;
        WriteOptions = writeOptions;
        if (timeout is { } callTimeout)
        {
            Deadline = DateTime.UtcNow + callTimeout;
            _deadlineSource = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
            _deadlineSource.CancelAfter(callTimeout);
            CancellationToken = _deadlineSource.Token;
        }
        else
        {
            CancellationToken = httpContext.RequestAborted;
        }
    }

    /// <summary>The method being called.</summary>
    public GrpcMethodInfo Method { get; }

    /// <summary>When the client stops waiting (UTC), from <c>grpc-timeout</c>; null when the client set none.</summary>
    public DateTime? Deadline { get; }

    /// <summary>Fires when the client cancels the call, the deadline passes or the connection is lost.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>True once the deadline has passed (and the call was not cancelled by the client first).</summary>
    public bool DeadlineExceeded => _deadlineSource is { IsCancellationRequested: true } && !HttpContext.RequestAborted.IsCancellationRequested;

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
    public void Dispose() => _deadlineSource?.Dispose();
}
