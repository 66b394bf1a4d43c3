using System.Text;
using Cairn.Cli.Txn;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Tests.Unit;

public class TxnParsingTests
{
    [Fact]
    public void Compare_parses_each_target_and_operator()
    {
        var value = CompareParser.Parse("value(\"k\") != \"v\"");
        Assert.Equal((Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.NotEqual, "k", "v"),
            (value.Target, value.Result, value.Key.ToStringUtf8(), value.Value.ToStringUtf8()));
        Assert.Equal(3, CompareParser.Parse("mod(\"k\") > \"3\"").ModRevision);
        Assert.Equal(-1, CompareParser.Parse("c(\"k\") < \"-1\"").CreateRevision);
        Assert.Equal(Compare.Types.CompareTarget.Version, CompareParser.Parse("ver(\"k\") = \"0\"").Target);
    }

    [Fact]
    public void Lease_compare_takes_a_hex_lease_id_where_etcdctl_crashes()
    {
        var compare = CompareParser.Parse("lease(\"k\") = \"3ceea20151e43110\"");
        Assert.Equal((Compare.Types.CompareTarget.Lease, 0x3ceea20151e43110L, "k"), (compare.Target, compare.Lease, compare.Key.ToStringUtf8()));
        var error = Assert.Throws<CliException>(() => CompareParser.Parse("lease(\"k\") = \"xyz\""));
        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
    }

    [Theory]
    [InlineData("value(\"a\") == \"1\"", "unknown operator ==")]
    [InlineData("value(\"a\") >= \"1\"", "unknown operator >=")]
    [InlineData("value(\"a\" ) = \"1\"", "malformed comparison")]
    [InlineData("value(\"a) = \"1\"", "malformed comparison")]
    [InlineData("value(\"\\q\") = \"1\"", "malformed comparison")]
    [InlineData("(\"a\") = \"1\"", "unknown target")]
    [InlineData("version(\"a\") = \"9223372036854775808\"", "invalid txn compare request")]
    public void Malformed_compares_are_invalid_input(string line, string message)
    {
        var error = Assert.Throws<CliException>(() => CompareParser.Parse(line));
        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Go_escapes_in_quoted_strings_produce_bytes()
    {
        Assert.True(GoQuoted.TryUnescape("a\\x41\\u00e9\\101\\xff\\n\\\"", out byte[] value));
        Assert.Equal([(byte)'a', (byte)'A', 0xc3, 0xa9, (byte)'A', 0xff, (byte)'\n', (byte)'"'], value);
        Assert.False(GoQuoted.TryUnescape("\\'", out _));
        Assert.False(GoQuoted.TryUnescape("\\400", out _));
        Assert.False(GoQuoted.TryUnescape("\\uD800", out _));
        Assert.False(GoQuoted.TryUnescape("\\x4", out _));
    }

    [Fact]
    public void Single_quoted_arguments_keep_their_whole_content_unlike_etcdctl()
    {
        var tokens = LineTokenizer.Split("put 'k one' 'v two' \"x\\ty\" bare");
        Assert.Equal(["put", "k one", "v two", "x\ty", "bare"], tokens.Select(Encoding.UTF8.GetString));
    }

    [Theory]
    [InlineData("put k 'unterminated")]
    [InlineData("put k \"unterminated")]
    [InlineData("put k \"bad \\q escape\"")]
    public void Bad_quoting_is_invalid_input(string line)
    {
        var error = Assert.Throws<CliException>(() => LineTokenizer.Split(line));
        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
    }

    [Fact]
    public void Ops_accept_flags_anywhere_before_a_double_dash()
    {
        var put = OpParser.Parse("put --prev-kv k --lease=ff -- --value").RequestPut;
        Assert.Equal(("k", "--value", 0xffL, true), (put.Key.ToStringUtf8(), put.Value.ToStringUtf8(), put.Lease, put.PrevKv));
        var get = OpParser.Parse("get k --limit 0x10 --rev=010").RequestRange;
        Assert.Equal((16L, 8L), (get.Limit, get.Revision));
    }

    [Fact]
    public void A_transaction_needs_its_three_blank_line_terminated_lists()
    {
        var request = new TxnReader(Input("value(\"a\") = \"1\"\n\nput a 2\n\nget a\ndel b\n\n"), prompt: null).Read();
        Assert.Equal((1, 1, 2), (request.Compare.Count, request.Success.Count, request.Failure.Count));
        var error = Assert.Throws<CliException>(() => new TxnReader(Input("value(\"a\") = \"1\"\n\nput a 2\n"), prompt: null).Read());
        Assert.Equal((ExitCodes.InvalidInput, "EOF"), (error.ExitCode, error.Message));
    }

    [Fact]
    public void Interactive_mode_prompts_before_each_list()
    {
        var prompts = new List<string>();
        new TxnReader(Input("\n\n\n"), prompts.Add).Read();
        Assert.Equal(["compares:", "success requests (get, put, del):", "failure requests (get, put, del):"], prompts);
    }

    [Fact]
    public void Go_integers_take_every_base_prefix_and_reject_overflow()
    {
        Assert.True(GoInteger.TryParse("0x1F", out long hex) && hex == 31);
        Assert.True(GoInteger.TryParse("0b101", out long binary) && binary == 5);
        Assert.True(GoInteger.TryParse("-0o17", out long octal) && octal == -15);
        Assert.True(GoInteger.TryParse("1_000", out long underscored) && underscored == 1000);
        Assert.False(GoInteger.TryParse("9223372036854775808", out _));
        Assert.False(GoInteger.TryParse("08", out _));
        Assert.False(GoInteger.TryParse("", out _));
        Assert.False(GoInteger.TryParse("0x", out _));
    }

    private static MemoryStream Input(string text) => new(Encoding.UTF8.GetBytes(text));
}
