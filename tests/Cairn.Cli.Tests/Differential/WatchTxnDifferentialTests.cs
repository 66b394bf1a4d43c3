using Cairn.Cli.Tests.Support;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Differential;

/// <summary>watch printing and arguments, and the txn grammar (the request etcdctl builds from stdin).</summary>
public class WatchTxnDifferentialTests
{
    public static TheoryData<string> Formats => new() { "simple", "json", "fields", "protobuf", "table" };

    private static IEnumerable<WatchResponse> EventsThenCancel(WatchCreateRequest request, string cancelReason = "", long compactRevision = 3)
    {
        yield return new WatchResponse { Header = Responses.Header(), Created = true };
        var put = new Event { Kv = Responses.Kv("w/k", "1") };
        var delete = new Event { Type = Event.Types.EventType.Delete, Kv = new KeyValue { Key = ByteString.CopyFromUtf8("w/k"), ModRevision = 9 }, PrevKv = Responses.Kv("w/k", "1") };
        var first = new WatchResponse { Header = Responses.Header(8) };
        first.Events.AddRange([put, delete]);
        yield return first;
        var binary = new WatchResponse { Header = Responses.Header(10) };
        binary.Events.Add(new Event { Kv = Responses.BinaryKv() });
        yield return binary;
        yield return new WatchResponse { Header = Responses.Header(11), Canceled = true, CompactRevision = compactRevision, CancelReason = cancelReason };
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Watch_prints_events_and_the_server_cancel(string format)
    {
        var script = new EtcdScript { Watch = request => EventsThenCancel(request) };
        var (etcdctl, _) = await SideBySide.AssertSameAsync(script, "watch", "--prefix", "w/", "--prev-kv", "--rev", "4", "-w", format);
        Assert.Equal(format == "table" ? 4 : 5, etcdctl.ExitCode);
    }

    [Theory]
    [InlineData("", 0L)]
    [InlineData("etcdserver: permission denied", 0L)]
    [InlineData("mvcc: something unexpected", 0L)]
    public async Task Watch_cancel_reasons_are_reported_like_clientv3(string reason, long compactRevision)
    {
        var script = new EtcdScript { Watch = request => EventsThenCancel(request, reason, compactRevision) };
        await SideBySide.AssertSameAsync(script, "watch", "k");
    }

    [Theory]
    [InlineData("watch")]
    [InlineData("watch", "a", "z", "--prefix")]
    [InlineData("watch", "a", "z")]
    [InlineData("watch", "", "--prefix")]
    [InlineData("watch", "a", "b", "c")]
    [InlineData("watch", "a", "--")]
    public async Task Watch_arguments_build_the_same_request(params string[] args)
    {
        var script = new EtcdScript { Watch = request => EventsThenCancel(request) };
        await SideBySide.AssertSameAsync(script, args);
    }

    [Theory]
    [InlineData("value(\"a\") = \"1\"\nmod(\"b\") > \"3\"\nversion(\"c\") != \"0\"\ncreate(\"d\") < \"-1\"\n\nput k v\nput k2 \"quoted value\" --prev-kv\nget k --prefix --keys-only\ndel k --from-key --prev-kv\n\nget k2 z --limit=5 --rev 3 --order DESCEND --sort-by value --consistency s\nput k3 v3 --lease=3ceea20151e43110 --ignore-lease\n\n")]
    [InlineData("val(\"a\") = \"\"\nver(\"a\") = \"0\"\nc(\"a\") = \"+7\"\nm(\"a\") > \"16\"\n\n\n\n")]
    [InlineData("value( \"spaced\") = \"v\" trailing words\nvalue(\"a\")   =    \"v\"\nvalue(\"esc\\x41\\u00e9\\n\\\"\") = `raw\\n`\n\nput \"k\\x00\" \"v\\xff\"\n\n\n")]
    [InlineData("\nput x3 -- -dash\nput x4 abc --prev-kv=false --ignore-lease=true\n\n\n")]
    [InlineData("   \n  put a b  \n\n\n")]
    public async Task Txn_input_builds_the_same_request(string input)
    {
        var script = new EtcdScript().Answer("KV/Txn", KvDifferentialTests.TxnWithAllResponses(succeeded: true));
        var (etcdctl, _) = await SideBySide.AssertSameWithInputAsync(script, input, "txn");
        Assert.Equal(0, etcdctl.ExitCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("value(\"a\") = \"1\"\n")]
    [InlineData("value(\"a\") = \"1\"\n\nput a b\n\nput a c")]
    [InlineData("value(\"a\")=\"1\"\n\n\n\n")]
    [InlineData("value(a) = \"1\"\n\n\n\n")]
    [InlineData("value(\"a\") = 1\n\n\n\n")]
    [InlineData("value\"a\") = \"1\"\n\n\n\n")]
    [InlineData("foo(\"a\") = \"1\"\n\n\n\n")]
    [InlineData("mod(\"a\") > \"x\"\n\n\n\n")]
    [InlineData("version(\"a\") > \"1.5\"\n\n\n\n")]
    [InlineData("\nput\n\n\n")]
    [InlineData("\nput a\n\n\n")]
    [InlineData("\nfoo a b\n\n\n")]
    [InlineData("\nget a --bogus\n\n\n")]
    [InlineData("\nget a --limit\n\n\n")]
    [InlineData("\nget a --limit x\n\n\n")]
    [InlineData("\ndel a b c\n\n\n")]
    [InlineData("\nput a b --lease zz\n\n\n")]
    [InlineData("\nget a --prefix --from-key\n\n\n")]
    [InlineData("\nput a -5\n\n\n")]
    public async Task Txn_input_errors_match(string input)
    {
        var script = new EtcdScript().Answer("KV/Txn", KvDifferentialTests.TxnWithAllResponses(succeeded: true));
        var (etcdctl, cairn, etcdctlRequests, cairnRequests) = await SideBySide.RunBothAsync(script, input, ["txn"]);
        Assert.NotEqual(0, etcdctl.ExitCode);
        Assert.Equal(etcdctl.ExitCode, cairn.ExitCode);
        Assert.Equal(etcdctl.Stdout, cairn.Stdout);
        // etcdctl also dumps the usage of put/get/del before an unknown flag's error; cairn prints only the error.
        Assert.Equal(LastLine(etcdctl.Stderr), LastLine(cairn.Stderr));
        Assert.Empty(etcdctlRequests);
        Assert.Empty(cairnRequests);
    }

    private static string LastLine(string text) => text.TrimEnd('\n').Split('\n')[^1];

    [Fact]
    public async Task Interactive_txn_prints_the_prompts()
    {
        var script = new EtcdScript().Answer("KV/Txn", KvDifferentialTests.TxnWithAllResponses(succeeded: true));
        var (etcdctl, _) = await SideBySide.AssertSameWithInputAsync(script, "mod(\"key1\") > \"0\"\n\nput key1 \"overwrote-key1\"\n\nput key1 \"created-key1\"\nput key2 \"some extra key\"\n\n", "txn", "-i");
        Assert.StartsWith("compares:\nsuccess requests (get, put, del):\nfailure requests (get, put, del):\nSUCCESS\n", etcdctl.Text);
    }

    [Fact]
    public async Task Txn_with_arguments_is_rejected()
    {
        var (etcdctl, _) = await SideBySide.AssertSameWithInputAsync(new EtcdScript(), "\n\n\n", "txn", "extra");
        Assert.Equal(128, etcdctl.ExitCode);
    }
}
