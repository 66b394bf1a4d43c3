using Cairn.Cli.Tests.Support;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Differential;

/// <summary>put, get, del and txn: same output as etcdctl 3.4 in every format, for the same responses.</summary>
public class KvDifferentialTests
{
    public static TheoryData<string> Formats => new() { "simple", "json", "fields", "protobuf", "table" };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Get_of_several_keys_with_binary_bytes(string format)
    {
        var script = new EtcdScript().Answer("KV/Range", Responses.Range(Responses.Kv("greeting", "hello world", lease: 0x1234), Responses.BinaryKv()));
        var (etcdctl, _) = await SideBySide.AssertSameAsync(script, "get", "--prefix", "gree", "-w", format);
        // Guard against comparing two empty outputs: etcdctl must really have printed the response.
        Assert.Equal(format == "table" ? 4 : 0, etcdctl.ExitCode);
        Assert.True(format == "table" ? etcdctl.Stdout.Length == 0 : etcdctl.Stdout.Length > 20, etcdctl.ToString());
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Get_of_a_missing_key_prints_nothing_or_the_bare_header(string format)
    {
        var script = new EtcdScript().Answer("KV/Range", new RangeResponse { Header = Responses.Header() });
        await SideBySide.AssertSameAsync(script, "get", "nosuchkey", "-w", format);
    }

    [Theory]
    [InlineData("get", "k", "--keys-only")]
    [InlineData("get", "k", "--print-value-only")]
    [InlineData("get", "k", "--print-value-only", "-w", "json")]
    [InlineData("get", "k", "--hex")]
    [InlineData("get", "k", "z", "--limit", "2", "--rev", "9", "--consistency", "s", "--order", "descend", "--sort-by", "value")]
    [InlineData("get", "k", "--order", "ASCEND", "--sort-by", "KEY")]
    [InlineData("get", "k", "--sort-by", "MODIFY")]
    [InlineData("get", "", "--prefix")]
    [InlineData("get", "\u00ff", "--prefix")]
    [InlineData("get", "k", "--from-key")]
    [InlineData("get", "k", "x", "y")]
    public async Task Get_flags_build_the_same_request_and_output(params string[] args)
    {
        var script = new EtcdScript().Answer("KV/Range", Responses.Range(Responses.Kv("k1", "v1"), Responses.BinaryKv()));
        await SideBySide.AssertSameAsync(script, args);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("get", "k", "--prefix", "--from-key")]
    [InlineData("get", "k", "z", "--prefix")]
    [InlineData("get", "k", "--consistency", "x")]
    [InlineData("get", "k", "--order", "sideways")]
    [InlineData("get", "k", "--sort-by", "size")]
    public async Task Get_argument_errors_match(params string[] args)
    {
        var script = new EtcdScript().Answer("KV/Range", Responses.Range());
        await SideBySide.AssertSameAsync(script, args);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Put_with_previous_key_value(string format)
    {
        var script = new EtcdScript().Answer("KV/Put", new PutResponse { Header = Responses.Header(), PrevKv = Responses.Kv("k", "old", 0x99) });
        await SideBySide.AssertSameAsync(script, "put", "k", "new value", "--prev-kv", "-w", format);
    }

    [Theory]
    [InlineData("put", "k", "v", "--lease", "3ceea20151e43110")]
    [InlineData("put", "k", "--ignore-value")]
    [InlineData("put", "k", "v", "--ignore-lease")]
    [InlineData("put", "k", "--", "-starts-with-dash")]
    [InlineData("put", "k", "v", "extra")]
    [InlineData("put", "k", "v", "--lease", "zz")]
    [InlineData("put", "k", "v", "--ignore-value")]
    [InlineData("put")]
    public async Task Put_flags_and_errors_match(params string[] args)
    {
        var script = new EtcdScript().Answer("KV/Put", new PutResponse { Header = Responses.Header() });
        await SideBySide.AssertSameAsync(script, args);
    }

    [Fact]
    public async Task Put_reads_the_value_from_stdin()
    {
        var script = new EtcdScript().Answer("KV/Put", new PutResponse { Header = Responses.Header() });
        await SideBySide.AssertSameWithInputAsync(script, "value from stdin\nsecond line\n", "put", "k");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Del_with_previous_key_values(string format)
    {
        var response = new DeleteRangeResponse { Header = Responses.Header(), Deleted = 2 };
        response.PrevKvs.AddRange([Responses.Kv("a", "1"), Responses.Kv("b", "")]);
        var script = new EtcdScript().Answer("KV/DeleteRange", response);
        await SideBySide.AssertSameAsync(script, "del", "a", "c", "--prev-kv", "-w", format);
    }

    [Theory]
    [InlineData("del", "k", "--prefix")]
    [InlineData("del", "", "--prefix")]
    [InlineData("del", "k", "--from-key")]
    [InlineData("del", "a", "b", "c")]
    [InlineData("del", "a", "b", "--prefix")]
    public async Task Del_flags_and_errors_match(params string[] args)
    {
        var script = new EtcdScript().Answer("KV/DeleteRange", new DeleteRangeResponse { Header = Responses.Header() });
        await SideBySide.AssertSameAsync(script, args);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Txn_prints_every_kind_of_response(string format)
    {
        var script = new EtcdScript().Answer("KV/Txn", TxnWithAllResponses(succeeded: false));
        await SideBySide.AssertSameWithInputAsync(script, "\n\n\n", "txn", "-w", format);
    }

    internal static TxnResponse TxnWithAllResponses(bool succeeded)
    {
        var nestedHeader = new ResponseHeader { Revision = 7 };
        var range = new RangeResponse { Header = nestedHeader, Count = 1 };
        range.Kvs.Add(Responses.Kv("t", "v"));
        var delete = new DeleteRangeResponse { Header = nestedHeader, Deleted = 1 };
        var response = new TxnResponse { Header = Responses.Header(), Succeeded = succeeded };
        response.Responses.Add(new ResponseOp { ResponseRange = range });
        response.Responses.Add(new ResponseOp { ResponsePut = new PutResponse { Header = nestedHeader, PrevKv = Responses.Kv("t", "p") } });
        response.Responses.Add(new ResponseOp { ResponseDeleteRange = delete });
        return response;
    }
}
