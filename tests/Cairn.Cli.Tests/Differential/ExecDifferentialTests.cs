using Cairn.Cli.Tests.Support;
using Cairn.Protocol.Etcd;
using Cairn.Testing;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Differential;

/// <summary>
/// Commands run by <c>watch ... -- CMD</c> and <c>lock NAME CMD</c>: the same environment and requests as etcdctl.
/// The commands write to a file, because cairn runs in-process here and its children's stdout is not captured.
/// </summary>
public class ExecDifferentialTests
{
    [Fact]
    public async Task Watch_runs_the_command_once_per_event_with_etcd_watch_variables()
    {
        using var directory = new TempDirectory("cairn-exec");
        string file = directory.Combine("events.txt");
        var script = new EtcdScript { Watch = WatchScript };
        string[] args = ["watch", "w/", "--prefix", "--", "sh", "-c", $"printf '%s|%s|%s|%s\\n' \"$ETCD_WATCH_REVISION\" \"$ETCD_WATCH_EVENT_TYPE\" \"$ETCD_WATCH_KEY\" \"$ETCD_WATCH_VALUE\" >> {file}"];
        var (etcdctl, cairn, fromEtcdctl, fromCairn) = await RunBothWithFileAsync(script, args, file);
        Assert.Equal("8|\"PUT\"|\"w/k\"|\"1\"\n8|\"DELETE\"|\"w/k\"|\"\"\n10|\"PUT\"|\"\\xff<k>\"|\"v\\x00\"\n", fromEtcdctl);
        Assert.Equal(fromEtcdctl, fromCairn);
        Assert.Equal((etcdctl.ExitCode, etcdctl.Stderr), (cairn.ExitCode, cairn.Stderr));
    }

    [Fact]
    public async Task Watch_stops_when_the_command_fails()
    {
        var script = new EtcdScript { Watch = WatchScript };
        var (etcdctl, cairn, _, _) = await RunBothWithFileAsync(script, ["watch", "w/k", "--", "sh", "-c", "exit 3"], "/dev/null");
        Assert.Equal(1, etcdctl.ExitCode);
        Assert.Equal("command [\"sh\" \"-c\" \"exit 3\"] error (exit status 3)\n", etcdctl.Stderr);
        Assert.Equal((etcdctl.ExitCode, etcdctl.Stderr, etcdctl.Text), (cairn.ExitCode, cairn.Stderr, cairn.Text));
    }

    [Fact]
    public async Task Lock_runs_the_command_holding_the_lock_then_unlocks_and_revokes()
    {
        using var directory = new TempDirectory("cairn-exec");
        string file = directory.Combine("lock.txt");
        var script = LockScript();
        var (etcdctl, cairn, fromEtcdctl, fromCairn) = await RunBothWithFileAsync(script,
            ["lock", "mylock", "--ttl", "30", "--", "sh", "-c", $"echo \"$ETCD_LOCK_KEY $ETCD_LOCK_REV\" > {file}"], file);
        Assert.Equal("mylock/3ceea20151e43110 42\n", fromEtcdctl);
        Assert.Equal(fromEtcdctl, fromCairn);
        Assert.Equal((0, "", ""), (etcdctl.ExitCode, etcdctl.Stderr, etcdctl.Text));
        Assert.Equal((etcdctl.ExitCode, etcdctl.Stderr, etcdctl.Text), (cairn.ExitCode, cairn.Stderr, cairn.Text));
    }

    [Fact]
    public async Task Lock_command_failure_is_reported_after_unlocking()
    {
        var script = LockScript();
        var (etcdctl, cairn, _, _) = await RunBothWithFileAsync(script, ["lock", "mylock", "--", "sh", "-c", "exit 3"], "/dev/null");
        Assert.Equal((1, "Error: exit status 3\n"), (etcdctl.ExitCode, etcdctl.Stderr));
        Assert.Equal((etcdctl.ExitCode, etcdctl.Stderr), (cairn.ExitCode, cairn.Stderr));
    }

    [Fact]
    public async Task Interactive_watch_rejects_bad_lines_and_ends_at_end_of_input()
    {
        var script = new EtcdScript();
        var (etcdctl, cairn, _, _) = await SideBySide.RunBothAsync(script, "bogus line\nwatch\n", ["watch", "-i"]);
        Assert.Equal(3, etcdctl.ExitCode);
        Assert.Equal("Invalid command bogus line (only support watch)\nInvalid command watch (command type or key is not provided)\nError: Error reading watch request line: EOF\n", etcdctl.Stderr);
        Assert.Equal((etcdctl.ExitCode, etcdctl.Stderr, etcdctl.Text), (cairn.ExitCode, cairn.Stderr, cairn.Text));
    }

    private static IEnumerable<WatchResponse> WatchScript(WatchCreateRequest request)
    {
        yield return new WatchResponse { Header = Responses.Header(), Created = true };
        var first = new WatchResponse { Header = Responses.Header(8) };
        first.Events.Add(new Event { Kv = Responses.Kv("w/k", "1") });
        first.Events.Add(new Event { Type = Event.Types.EventType.Delete, Kv = new KeyValue { Key = ByteString.CopyFromUtf8("w/k"), ModRevision = 8 } });
        yield return first;
        var second = new WatchResponse { Header = Responses.Header(10) };
        second.Events.Add(new Event { Kv = new KeyValue { Key = ByteString.CopyFrom(0xff, (byte)'<', (byte)'k', (byte)'>'), Value = ByteString.CopyFrom((byte)'v', 0), ModRevision = 10 } });
        yield return second;
        yield return new WatchResponse { Header = Responses.Header(11), Canceled = true, CompactRevision = 3 };
    }

    private static EtcdScript LockScript()
    {
        var script = new EtcdScript
        {
            KeepAlive = request => new LeaseKeepAliveResponse { Header = Responses.Header(), ID = request.ID, TTL = 30 },
        };
        script.Answer("Lease/LeaseGrant", new LeaseGrantResponse { Header = Responses.Header(), ID = 0x3ceea20151e43110, TTL = 30 })
            .Answer("KV/DeleteRange", new DeleteRangeResponse { Header = Responses.Header(43), Deleted = 1 })
            .Answer("Lease/LeaseRevoke", new LeaseRevokeResponse { Header = Responses.Header(43) });
        script.Unary["KV/Txn"] = bytes =>
        {
            var key = TxnRequest.Parser.ParseFrom(bytes).Compare[0].Key;
            var owner = new RangeResponse { Header = new ResponseHeader { Revision = 42 }, Count = 1 };
            owner.Kvs.Add(new KeyValue { Key = key, CreateRevision = 42, ModRevision = 42, Version = 1, Lease = 0x3ceea20151e43110 });
            var response = new TxnResponse { Header = Responses.Header(42), Succeeded = true };
            response.Responses.Add(new ResponseOp { ResponsePut = new PutResponse { Header = new ResponseHeader { Revision = 42 } } });
            response.Responses.Add(new ResponseOp { ResponseRange = owner });
            return Reply.Ok(response);
        };
        return script;
    }

    // Runs etcdctl, then cairn, reading (and removing) the file each one's command wrote; compares unary requests.
    private static async Task<(CommandResult Etcdctl, CommandResult Cairn, string FromEtcdctl, string FromCairn)> RunBothWithFileAsync(
        EtcdScript script, string[] args, string file)
    {
        await using var server = await FakeEtcdServer.StartAsync(script);
        var etcdctl = await EtcdctlRaw.RunAsync(server.Endpoint, args);
        string fromEtcdctl = Consume(file);
        var etcdctlRequests = Unary(script);
        var cairn = CliRun.Run(ScriptedSession.For(script), ["--endpoints", server.Endpoint, .. args]);
        string fromCairn = Consume(file);
        var cairnRequests = Unary(script);
        if (args[0] == "lock")
        {
            // etcdctl leaves its session lease to expire; cairn also revokes it (docs/CLI.md), as the last request.
            Assert.Equal("Lease/LeaseRevoke 0890E2908F95C0A8F73C", cairnRequests[^1]);
            cairnRequests.RemoveAt(cairnRequests.Count - 1);
        }
        Assert.Equal(etcdctlRequests, cairnRequests);
        return (etcdctl, cairn, fromEtcdctl, fromCairn);
    }

    private static string Consume(string file)
    {
        if (file == "/dev/null" || !File.Exists(file))
        {
            return "";
        }
        string text = File.ReadAllText(file);
        File.Delete(file);
        return text;
    }

    // Keep-alives depend on timing, and so does the watch cancel a Go client may send while it closes after the
    // server cancelled the watch; every other request must match in order.
    private static List<string> Unary(EtcdScript script)
    {
        var requests = new List<(string, byte[])>();
        while (script.Received.TryDequeue(out var request))
        {
            bool watchCancel = request.Method == "Watch/Watch" && WatchRequest.Parser.ParseFrom(request.Request).CancelRequest is not null;
            if (request.Method != "Lease/LeaseKeepAlive" && !watchCancel)
            {
                requests.Add(request);
            }
        }
        return SideBySide.Describe(requests);
    }
}
