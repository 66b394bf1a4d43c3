using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Protocol.Tests.Server;
using Cairn.Protocol.Tests.Tools;
using Cairn.Server.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Interop;

/// <summary>
/// Stock etcdctl 3.4 (grpc-go) against Cairn's gRPC server with test handlers: proves grpc-go accepts Cairn's HTTP/2
/// framing, headers, trailers (and trailers-only errors), deadlines, server streaming and bidi streaming.
/// </summary>
public sealed class EtcdctlAgainstCairnTests : IAsyncLifetime
{
    private const ulong ClusterId = 0xC0FFEE;
    private const ulong MemberId = 0xBEEF;
    private TestServer _server = null!;
    private string _scratch = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(register: Register);
        _scratch = Directory.CreateTempSubdirectory("cairn-etcdctl-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    private static ResponseHeader Header(long revision) => new() { ClusterId = ClusterId, MemberId = MemberId, Revision = revision, RaftTerm = 2 };

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _rangeOutcomes = new();

    private void Register(GrpcServiceRegistry registry)
    {
        registry.AddUnary<StatusRequest, StatusResponse>(Cairn.Protocol.EtcdMethods.Maintenance.Status, StatusRequest.Parser, (_, _) =>
            ValueTask.FromResult(new StatusResponse { Header = Header(42), Version = "3.4.35", DbSize = 24576, Leader = MemberId, RaftIndex = 7, RaftTerm = 2, RaftAppliedIndex = 7, DbSizeInUse = 16384 }));
        registry.AddUnary<PutRequest, PutResponse>(Cairn.Protocol.EtcdMethods.KV.Put, PutRequest.Parser, (request, _) =>
            request.Key.ToStringUtf8() == "bad"
                ? throw new RpcException(GrpcStatusCode.NotFound, "etcdserver: requested lease not found")
                : ValueTask.FromResult(new PutResponse { Header = Header(43) }));
        registry.AddUnary<RangeRequest, RangeResponse>(Cairn.Protocol.EtcdMethods.KV.Range, RangeRequest.Parser, SlowRangeAsync);
        registry.AddServerStreaming<SnapshotRequest, SnapshotResponse>(Cairn.Protocol.EtcdMethods.Maintenance.Snapshot, SnapshotRequest.Parser, SnapshotAsync);
        registry.AddBidiStreaming<WatchRequest, WatchResponse>(Cairn.Protocol.EtcdMethods.Watch.WatchMethod, WatchRequest.Parser, WatchAsync);
    }

    private async ValueTask<RangeResponse> SlowRangeAsync(RangeRequest request, ServerCallContext context)
    {
        _rangeOutcomes.Enqueue("entered deadline=" + (context.Deadline is null ? "none" : "set"));
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            _rangeOutcomes.Enqueue(context.DeadlineExceeded ? "deadline" : "cancelled");
            throw;
        }

        return new RangeResponse();
    }

    // etcdctl only accepts a snapshot whose size is a multiple of 512 plus the 32-byte SHA-256.
    internal static readonly byte[] SnapshotBody = Enumerable.Range(0, 512 * 137).Select(i => (byte)i).ToArray();

    private static async ValueTask SnapshotAsync(SnapshotRequest request, IGrpcStreamWriter<SnapshotResponse> responses, ServerCallContext context)
    {
        const int chunkBytes = 32 * 1024;
        for (int offset = 0; offset < SnapshotBody.Length; offset += chunkBytes)
        {
            int length = Math.Min(chunkBytes, SnapshotBody.Length - offset);
            await responses.WriteAsync(new SnapshotResponse { Blob = ByteString.CopyFrom(SnapshotBody, offset, length), RemainingBytes = (ulong)(SnapshotBody.Length - offset - length + 32) });
        }

        await responses.WriteAsync(new SnapshotResponse { Blob = ByteString.CopyFrom(SHA256.HashData(SnapshotBody)) });
    }

    /// <summary>Answers the first create with "created", then one PUT event for the watched key; stays open until cancelled.</summary>
    private static async ValueTask WatchAsync(IGrpcStreamReader<WatchRequest> requests, IGrpcStreamWriter<WatchResponse> responses, ServerCallContext context)
    {
        WatchRequest? first = await requests.ReadAsync();
        if (first?.CreateRequest is not { } create)
        {
            return;
        }

        await responses.WriteAsync(new WatchResponse { Header = Header(43), WatchId = 0, Created = true });
        var kv = new KeyValue { Key = create.Key, Value = ByteString.CopyFromUtf8("from-cairn"), CreateRevision = 44, ModRevision = 44, Version = 1 };
        await responses.WriteAsync(new WatchResponse { Header = Header(44), WatchId = 0, Events = { new Event { Type = Event.Types.EventType.Put, Kv = kv } } });
        while (await requests.ReadAsync() is not null)
        {
        }
    }

    private Task<ExternalProcess.Result> Etcdctl(params string[] arguments) =>
        ExternalProcess.RunAsync("etcdctl", ["--endpoints", _server.Endpoint, "--dial-timeout", "3s", .. arguments]);

    [Fact]
    public async Task Endpoint_status_json_decodes_cairns_response()
    {
        var result = await Etcdctl("endpoint", "status", "-w", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement entry = json.RootElement[0];
        Assert.Equal(_server.Endpoint, entry.GetProperty("Endpoint").GetString());
        JsonElement status = entry.GetProperty("Status");
        Assert.Equal("3.4.35", status.GetProperty("version").GetString());
        Assert.Equal(24576, status.GetProperty("dbSize").GetInt64());
        Assert.Equal((long)MemberId, status.GetProperty("leader").GetInt64());
        Assert.Equal((long)ClusterId, status.GetProperty("header").GetProperty("cluster_id").GetInt64());
        Assert.Equal(42, status.GetProperty("header").GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task Put_ok_and_put_error_are_printed_as_etcdctl_prints_them()
    {
        var ok = await Etcdctl("put", "foo", "bar");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal("OK\n", ok.Stdout);

        var error = await Etcdctl("put", "bad", "bar");
        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains("Error: etcdserver: requested lease not found", error.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unimplemented_method_is_reported_by_etcdctl()
    {
        var result = await Etcdctl("member", "list");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error: rpc error: code = Unimplemented desc = unknown service etcdserverpb.Cluster", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Etcdctl_command_timeout_is_a_deadline_cairn_honours()
    {
        var stopwatch = Stopwatch.StartNew();
        // Generous enough that the call reaches the server even on a loaded machine.
        var result = await Etcdctl("--command-timeout", "3s", "get", "foo");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("context deadline exceeded", result.Stderr, StringComparison.Ordinal);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(20));

        // grpc-go sent grpc-timeout and reset the stream at its deadline: the handler saw the deadline and was cancelled.
        await GrpcDispatchTests.WaitForAsync(() => _rangeOutcomes.Count >= 2);
        Assert.Equal("entered deadline=set", _rangeOutcomes.First());
        Assert.Contains(_rangeOutcomes.Last(), (string[])["deadline", "cancelled"]);
    }

    [Fact]
    public async Task Snapshot_save_receives_cairns_server_stream()
    {
        string file = Path.Combine(_scratch, "snap.db");
        var result = await Etcdctl("snapshot", "save", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Snapshot saved at " + file, result.Stdout + result.Stderr, StringComparison.Ordinal);
        byte[] saved = await File.ReadAllBytesAsync(file);
        Assert.Equal(SnapshotBody, saved[..SnapshotBody.Length]);
    }

    [Fact]
    public async Task Watch_prints_the_event_cairn_streams_over_bidi()
    {
        var start = new ProcessStartInfo("etcdctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["--endpoints", _server.Endpoint, "watch", "watched-key"])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        try
        {
            var lines = new List<string>();
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (lines.Count < 3 && await process.StandardOutput.ReadLineAsync(guard.Token) is { } line)
            {
                lines.Add(line);
            }

            Assert.Equal(["PUT", "watched-key", "from-cairn"], lines);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
