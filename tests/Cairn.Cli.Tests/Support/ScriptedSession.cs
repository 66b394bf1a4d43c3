using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Cairn.Cli.Session;
using Cairn.Cli.Settings;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Support;

/// <summary>
/// An in-process <see cref="IEtcdSession"/> answering from an <see cref="EtcdScript"/>, so cairn's verbs can be run
/// against exactly the responses the fake server gives etcdctl, without a network client.
/// </summary>
public sealed class ScriptedSession : IEtcdSession
{
    private readonly EtcdScript script;

    /// <summary>Creates a session over <paramref name="script"/>.</summary>
    public ScriptedSession(EtcdScript script) => this.script = script;

    /// <summary>A factory handing out sessions over <paramref name="script"/>, recording which endpoints were asked for.</summary>
    public static Factory For(EtcdScript script) => new(script);

    /// <inheritdoc />
    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken cancellation) => Call("KV/Range", request, RangeResponse.Parser);

    /// <inheritdoc />
    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken cancellation) => Call("KV/Put", request, PutResponse.Parser);

    /// <inheritdoc />
    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellation) => Call("KV/DeleteRange", request, DeleteRangeResponse.Parser);

    /// <inheritdoc />
    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken cancellation) => Call("KV/Txn", request, TxnResponse.Parser);

    /// <inheritdoc />
    public Task<CompactionResponse> CompactAsync(CompactionRequest request, CancellationToken cancellation) => Call("KV/Compact", request, CompactionResponse.Parser);

    /// <inheritdoc />
    public Task<LeaseGrantResponse> LeaseGrantAsync(LeaseGrantRequest request, CancellationToken cancellation) => Call("Lease/LeaseGrant", request, LeaseGrantResponse.Parser);

    /// <inheritdoc />
    public Task<LeaseRevokeResponse> LeaseRevokeAsync(LeaseRevokeRequest request, CancellationToken cancellation) => Call("Lease/LeaseRevoke", request, LeaseRevokeResponse.Parser);

    /// <inheritdoc />
    public Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CancellationToken cancellation) => Call("Lease/LeaseTimeToLive", request, LeaseTimeToLiveResponse.Parser);

    /// <inheritdoc />
    public Task<LeaseLeasesResponse> LeaseLeasesAsync(LeaseLeasesRequest request, CancellationToken cancellation) => Call("Lease/LeaseLeases", request, LeaseLeasesResponse.Parser);

    /// <inheritdoc />
    public Task<MemberListResponse> MemberListAsync(MemberListRequest request, CancellationToken cancellation) => Call("Cluster/MemberList", request, MemberListResponse.Parser);

    /// <inheritdoc />
    public Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, CancellationToken cancellation) => Call("Cluster/MemberAdd", request, MemberAddResponse.Parser);

    /// <inheritdoc />
    public Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, CancellationToken cancellation) => Call("Cluster/MemberRemove", request, MemberRemoveResponse.Parser);

    /// <inheritdoc />
    public Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, CancellationToken cancellation) => Call("Cluster/MemberUpdate", request, MemberUpdateResponse.Parser);

    /// <inheritdoc />
    public Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, CancellationToken cancellation) => Call("Cluster/MemberPromote", request, MemberPromoteResponse.Parser);

    /// <inheritdoc />
    public Task<AlarmResponse> AlarmAsync(AlarmRequest request, CancellationToken cancellation) => Call("Maintenance/Alarm", request, AlarmResponse.Parser);

    /// <inheritdoc />
    public Task<StatusResponse> StatusAsync(StatusRequest request, CancellationToken cancellation) => Call("Maintenance/Status", request, StatusResponse.Parser);

    /// <inheritdoc />
    public Task<HashKVResponse> HashKVAsync(HashKVRequest request, CancellationToken cancellation) => Call("Maintenance/HashKV", request, HashKVResponse.Parser);

    /// <inheritdoc />
    public Task<DefragmentResponse> DefragmentAsync(DefragmentRequest request, CancellationToken cancellation) => Call("Maintenance/Defragment", request, DefragmentResponse.Parser);

    /// <inheritdoc />
    public Task<MoveLeaderResponse> MoveLeaderAsync(MoveLeaderRequest request, CancellationToken cancellation) => Call("Maintenance/MoveLeader", request, MoveLeaderResponse.Parser);

    /// <inheritdoc />
    public async IAsyncEnumerable<SnapshotResponse> SnapshotAsync(SnapshotRequest request, [EnumeratorCancellation] CancellationToken cancellation)
    {
        script.Received.Enqueue(("Maintenance/Snapshot", request.ToByteArray()));
        foreach (var chunk in script.Snapshot!())
        {
            await Task.Yield();
            yield return chunk;
        }
    }

    /// <inheritdoc />
    public Task<IDuplexCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>> LeaseKeepAliveAsync(CancellationToken cancellation) =>
        Task.FromResult<IDuplexCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>>(new Duplex<LeaseKeepAliveRequest, LeaseKeepAliveResponse>(
            "Lease/LeaseKeepAlive", script, request => [script.KeepAlive!(request)]));

    /// <inheritdoc />
    public Task<IDuplexCall<WatchRequest, WatchResponse>> WatchAsync(CancellationToken cancellation) =>
        Task.FromResult<IDuplexCall<WatchRequest, WatchResponse>>(new Duplex<WatchRequest, WatchResponse>(
            "Watch/Watch", script, request => request.CreateRequest is null || script.Watch is null ? [] : script.Watch(request.CreateRequest)));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<T> Call<T>(string method, IMessage request, MessageParser<T> parser) where T : IMessage<T>
    {
        var reply = script.Call(method, request.ToByteArray());
        if (reply.Message is null)
        {
            return Task.FromException<T>(new EtcdCallException(reply.Status, reply.ErrorMessage));
        }
        return Task.FromResult(parser.ParseFrom(reply.Message.ToByteArray()));
    }

    /// <summary>Session factory over a script.</summary>
    public sealed class Factory : IEtcdSessionFactory
    {
        private readonly EtcdScript script;

        internal Factory(EtcdScript script) => this.script = script;

        /// <summary>The endpoint lists sessions were connected to, in order.</summary>
        public List<IReadOnlyList<string>> Connections { get; } = new();

        /// <inheritdoc />
        public Task<IEtcdSession> ConnectAsync(ClientSettings settings, IReadOnlyList<string> endpoints, CancellationToken cancellation)
        {
            lock (Connections)
            {
                Connections.Add(endpoints);
            }
            return Task.FromResult<IEtcdSession>(new ScriptedSession(script));
        }
    }

    private sealed class Duplex<TRequest, TResponse> : IDuplexCall<TRequest, TResponse>
        where TRequest : IMessage
        where TResponse : class, IMessage
    {
        private readonly string method;
        private readonly EtcdScript script;
        private readonly Func<TRequest, IEnumerable<TResponse>> answer;
        private readonly Channel<TResponse> responses = Channel.CreateUnbounded<TResponse>();

        public Duplex(string method, EtcdScript script, Func<TRequest, IEnumerable<TResponse>> answer)
        {
            this.method = method;
            this.script = script;
            this.answer = answer;
        }

        public Task SendAsync(TRequest request, CancellationToken cancellation)
        {
            script.Received.Enqueue((method, request.ToByteArray()));
            foreach (var response in answer(request))
            {
                responses.Writer.TryWrite(response);
            }
            return Task.CompletedTask;
        }

        public Task CompleteAsync() => Task.CompletedTask;

        public async Task<TResponse?> ReadAsync(CancellationToken cancellation) =>
            await responses.Reader.WaitToReadAsync(cancellation) && responses.Reader.TryRead(out var response) ? response : null;

        public ValueTask DisposeAsync()
        {
            responses.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
