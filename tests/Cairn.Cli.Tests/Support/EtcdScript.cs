using System.Collections.Concurrent;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Support;

/// <summary>One canned answer: a response message, or a gRPC error status.</summary>
public sealed record Reply(IMessage? Message, int Status = 0, string ErrorMessage = "")
{
    /// <summary>A successful reply.</summary>
    public static Reply Ok(IMessage message) => new(message);

    /// <summary>A gRPC error (e.g. 5 NotFound "etcdserver: requested lease not found").</summary>
    public static Reply Error(int status, string message) => new(null, status, message);
}

/// <summary>
/// What a scripted etcd answers, shared by the fake gRPC server stock etcdctl talks to and the in-process session
/// cairn's verbs use, so both tools print the very same responses. Every request either one sends is recorded.
/// </summary>
public sealed class EtcdScript
{
    /// <summary>Unary methods by name ("KV/Range", "Cluster/MemberList", ...): request bytes to reply.</summary>
    public Dictionary<string, Func<byte[], Reply>> Unary { get; } = new();

    /// <summary>Responses to each watch create request (the stream then stays open until the client leaves).</summary>
    public Func<WatchCreateRequest, IEnumerable<WatchResponse>>? Watch { get; set; }

    /// <summary>Answer to each keep-alive request.</summary>
    public Func<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? KeepAlive { get; set; }

    /// <summary>Chunks of the snapshot stream.</summary>
    public Func<IEnumerable<SnapshotResponse>>? Snapshot { get; set; }

    /// <summary>Every request received, in order: method name and message bytes.</summary>
    public ConcurrentQueue<(string Method, byte[] Request)> Received { get; } = new();

    /// <summary>Answers every call of <paramref name="method"/> with <paramref name="response"/>.</summary>
    public EtcdScript Answer(string method, IMessage response)
    {
        Unary[method] = _ => Reply.Ok(response);
        return this;
    }

    /// <summary>Answers every call of <paramref name="method"/> with a gRPC error.</summary>
    public EtcdScript Fail(string method, int status, string message)
    {
        Unary[method] = _ => Reply.Error(status, message);
        return this;
    }

    /// <summary>The reply to a unary call (recording it); unscripted methods fail with Unimplemented.</summary>
    public Reply Call(string method, byte[] request)
    {
        Received.Enqueue((method, request));
        return Unary.TryGetValue(method, out var answer) ? answer(request) : Reply.Error(12, $"unscripted method {method}");
    }

    /// <summary>The requests received for <paramref name="method"/>, parsed.</summary>
    public List<T> RequestsOf<T>(string method, MessageParser<T> parser) where T : IMessage<T> =>
        Received.Where(r => r.Method == method).Select(r => parser.ParseFrom(r.Request)).ToList();
}
