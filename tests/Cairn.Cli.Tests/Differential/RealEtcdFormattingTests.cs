using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Cli.Output;
using Cairn.Cli.Tests.Support;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Differential;

/// <summary>
/// Against real etcd 3.4: fetch a response with <c>etcdctl ... -w protobuf</c> (or <c>-w json</c> where etcdctl
/// has no protobuf output), print it with cairn's printers, and compare with what etcdctl prints for the same
/// read-only command in the other formats (no writes happen in between, so the responses are identical).
/// </summary>
public class RealEtcdFormattingTests : IClassFixture<RealEtcdFixture>
{
    private static readonly string[] TextFormats = ["simple", "json", "fields", "table"];
    private readonly RealEtcdFixture etcd;

    public RealEtcdFormattingTests(RealEtcdFixture etcd) => this.etcd = etcd;

    [Theory]
    [InlineData("get", "greeting")]
    [InlineData("get", "greet", "--prefix")]
    [InlineData("get", "", "--prefix", "--keys-only")]
    [InlineData("get", "b", "--from-key", "--limit", "2")]
    [InlineData("get", "nosuchkey")]
    [InlineData("get", "", "--prefix", "--sort-by", "VALUE", "--order", "DESCEND")]
    public async Task Get(params string[] args)
    {
        var response = RangeResponse.Parser.ParseFrom((await etcd.EtcdctlAsync([.. args, "-w", "protobuf"])).Stdout);
        foreach (string format in TextFormats)
        {
            await AssertSameAsync(args, format, printer => printer.Get(response));
        }
        await AssertSameAsync([.. args, "--hex"], "simple", printer => printer.Get(response), hex: true);
        await AssertSameAsync([.. args, "--print-value-only"], "simple", printer => printer.Get(response), valueOnly: true);
    }

    [Fact]
    public async Task Put_with_previous_value_prints_like_etcdctl()
    {
        // Putting the same value again yields the same simple output; the protobuf bytes give cairn the response.
        var response = PutResponse.Parser.ParseFrom((await etcd.EtcdctlAsync("put", "greeting", "hello world", "--prev-kv", "-w", "protobuf")).Stdout);
        await AssertSameAsync(["put", "greeting", "hello world", "--prev-kv"], "simple", printer => printer.Put(response));
        Assert.Equal("hello world", response.PrevKv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Del_of_a_missing_key()
    {
        var response = DeleteRangeResponse.Parser.ParseFrom((await etcd.EtcdctlAsync("del", "nosuchkey", "--prev-kv", "-w", "protobuf")).Stdout);
        foreach (string format in TextFormats)
        {
            await AssertSameAsync(["del", "nosuchkey", "--prev-kv"], format, printer => printer.Del(response));
        }
    }

    [Fact]
    public async Task Read_only_txn()
    {
        const string Input = "value(\"greeting\") = \"hello world\"\n\nget greeting\nget greet --prefix --keys-only\n\nget binary\n\n";
        var response = TxnResponse.Parser.ParseFrom((await EtcdctlRaw.RunAsync(etcd.Endpoint, ["txn", "-w", "protobuf"], Input)).Stdout);
        Assert.True(response.Succeeded);
        foreach (string format in TextFormats)
        {
            var expected = await EtcdctlRaw.RunAsync(etcd.Endpoint, ["txn", "-w", format], Input);
            AssertEqual(expected, Render.With(format, printer => printer.Txn(response)), $"txn -w {format}");
        }
    }

    [Fact]
    public async Task Member_list()
    {
        var response = MemberListResponse.Parser.ParseFrom((await etcd.EtcdctlAsync("member", "list", "-w", "protobuf")).Stdout);
        foreach (string format in TextFormats)
        {
            await AssertSameAsync(["member", "list"], format, printer => printer.MemberList(response));
        }
    }

    [Fact]
    public async Task Alarm_list_of_a_healthy_member()
    {
        var response = AlarmResponse.Parser.ParseFrom((await etcd.EtcdctlAsync("alarm", "list", "-w", "protobuf")).Stdout);
        foreach (string format in new[] { "simple", "json", "table" })
        {
            await AssertSameAsync(["alarm", "list"], format, printer => printer.Alarm(response));
        }
    }

    [Fact]
    public async Task Endpoint_status_and_hashkv()
    {
        // etcdctl has no protobuf output for these; its JSON uses proto field names, so Google.Protobuf parses it.
        using var statusJson = JsonDocument.Parse((await etcd.EtcdctlAsync("endpoint", "status", "-w", "json")).Stdout);
        var status = JsonParser.Default.Parse<StatusResponse>(Exact64BitNumbers(statusJson.RootElement[0].GetProperty("Status").GetRawText()));
        var statuses = new[] { new EndpointStatus(etcd.Endpoint, status) };
        using var hashJson = JsonDocument.Parse((await etcd.EtcdctlAsync("endpoint", "hashkv", "-w", "json")).Stdout);
        var hash = JsonParser.Default.Parse<HashKVResponse>(Exact64BitNumbers(hashJson.RootElement[0].GetProperty("HashKV").GetRawText()));
        var hashes = new[] { new EndpointHash(etcd.Endpoint, hash) };
        foreach (string format in TextFormats)
        {
            await AssertSameAsync(["endpoint", "status"], format, printer => printer.EndpointStatus(statuses));
            await AssertSameAsync(["endpoint", "hashkv"], format, printer => printer.EndpointHashKV(hashes));
        }
    }

    [Fact]
    public async Task Endpoint_health_with_the_time_taken_normalized()
    {
        foreach (string format in TextFormats)
        {
            // The time taken differs per run: print etcdctl's own figure, so even the table column widths must match.
            var expected = await etcd.EtcdctlAsync("endpoint", "health", "-w", format);
            string took = Regex.Match(expected.Text + expected.Stderr, @"\d+(\.\d+)?(ns|µs|ms|s)").Value;
            Assert.NotEmpty(took);
            var health = new[] { new EndpointHealth(etcd.Endpoint, true, took, "") };
            AssertEqual(expected, Render.With(format, printer => printer.EndpointHealth(health)), $"endpoint health -w {format}");
        }
    }

    [Fact]
    public async Task Lease_list_keep_alive_and_time_to_live()
    {
        // The lease verbs print only the response header as protobuf, so the response is rebuilt from their JSON.
        var leases = LeasesFromJson((await etcd.EtcdctlAsync("lease", "list", "-w", "json")).Text);
        foreach (string format in TextFormats)
        {
            await AssertSameAsync(["lease", "list"], format, printer => printer.Leases(leases));
        }
        var (timeToLive, etcdctlOutputs) = await StableTimeToLiveAsync();
        foreach (string format in TextFormats)
        {
            AssertEqual(etcdctlOutputs[format], Render.With(format, printer => printer.TimeToLive(timeToLive, keys: true)), $"timetolive -w {format}");
        }
        var kept = KeepAliveFromJson((await etcd.EtcdctlAsync("lease", "keep-alive", "--once", etcd.LeaseId, "-w", "json")).Text);
        foreach (string format in TextFormats)
        {
            await AssertSameAsync(["lease", "keep-alive", "--once", etcd.LeaseId], format, printer => printer.KeepAlive(kept));
        }
    }

    // The remaining TTL ticks down; retry until a JSON read before and after the other formats agree.
    private async Task<(LeaseTimeToLiveResponse, Dictionary<string, CommandResult>)> StableTimeToLiveAsync()
    {
        string[] args = ["lease", "timetolive", etcd.LeaseId, "--keys"];
        for (int attempt = 0; attempt < 10; attempt++)
        {
            string before = (await etcd.EtcdctlAsync([.. args, "-w", "json"])).Text;
            var outputs = new Dictionary<string, CommandResult>();
            foreach (string format in TextFormats)
            {
                outputs[format] = await etcd.EtcdctlAsync([.. args, "-w", format]);
            }
            if (before == (await etcd.EtcdctlAsync([.. args, "-w", "json"])).Text)
            {
                return (TimeToLiveFromJson(before), outputs);
            }
        }
        throw new InvalidOperationException("lease timetolive never stayed stable across one round of formats");
    }

    private async Task AssertSameAsync(string[] args, string format, Action<ResponsePrinter> print, bool hex = false, bool valueOnly = false)
    {
        var expected = await etcd.EtcdctlAsync([.. args, "-w", format]);
        AssertEqual(expected, Render.With(format, print, hex, valueOnly), $"{string.Join(' ', args)} -w {format}");
    }

    private static void AssertEqual(CommandResult etcdctl, CommandResult cairn, string what)
    {
        Assert.True(etcdctl.Stdout.AsSpan().SequenceEqual(cairn.Stdout), $"{what}: stdout differs\n--- etcdctl ---\n{etcdctl}\n--- cairn ---\n{cairn}");
        Assert.True(etcdctl.ExitCode == cairn.ExitCode, $"{what}: exit code differs\n--- etcdctl ---\n{etcdctl}\n--- cairn ---\n{cairn}");
        Assert.True(etcdctl.Stderr == cairn.Stderr, $"{what}: stderr differs\n--- etcdctl ---\n{etcdctl}\n--- cairn ---\n{cairn}");
    }

    // Google.Protobuf reads JSON numbers through double; as strings, 64-bit IDs keep every digit.
    private static string Exact64BitNumbers(string json) => Regex.Replace(json, @":(\d{16,})", ":\"$1\"");

    private static LeaseLeasesResponse LeasesFromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var response = new LeaseLeasesResponse { Header = HeaderFromJson(document.RootElement) };
        foreach (var lease in document.RootElement.GetProperty("leases").EnumerateArray())
        {
            response.Leases.Add(new LeaseStatus { ID = lease.GetProperty("id").GetInt64() });
        }
        return response;
    }

    private static LeaseTimeToLiveResponse TimeToLiveFromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var response = new LeaseTimeToLiveResponse
        {
            Header = HeaderFromJson(root), ID = root.GetProperty("id").GetInt64(),
            TTL = root.GetProperty("ttl").GetInt64(), GrantedTTL = root.GetProperty("granted-ttl").GetInt64(),
        };
        foreach (var key in root.GetProperty("keys").EnumerateArray())
        {
            response.Keys.Add(ByteString.FromBase64(key.GetString()!));
        }
        return response;
    }

    private static LeaseKeepAliveResponse KeepAliveFromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new LeaseKeepAliveResponse { Header = HeaderFromJson(root), ID = root.GetProperty("ID").GetInt64(), TTL = root.GetProperty("TTL").GetInt64() };
    }

    private static ResponseHeader HeaderFromJson(JsonElement root) => new()
    {
        ClusterId = root.GetProperty("cluster_id").GetUInt64(), MemberId = root.GetProperty("member_id").GetUInt64(),
        Revision = root.GetProperty("revision").GetInt64(), RaftTerm = root.GetProperty("raft_term").GetUInt64(),
    };
}
