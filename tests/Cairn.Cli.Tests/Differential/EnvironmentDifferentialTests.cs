using Cairn.Cli.Tests.Support;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Differential;

/// <summary>ETCDCTL_* environment variables: the same effect in both tools.</summary>
public class EnvironmentDifferentialTests
{
    private static EtcdScript RangeScript() => new EtcdScript().Answer("KV/Range", Responses.Range(Responses.Kv("k", "v"), Responses.BinaryKv()));

    [Theory]
    [InlineData("ETCDCTL_WRITE_OUT", "json")]
    [InlineData("ETCDCTL_WRITE_OUT", "fields")]
    [InlineData("ETCDCTL_WRITE_OUT", "table")]
    [InlineData("ETCDCTL_HEX", "true")]
    [InlineData("ETCDCTL_HEX", "1")]
    [InlineData("ETCDCTL_INSECURE_TRANSPORT", "true")]
    public async Task Global_settings_come_from_the_environment(string variable, string value)
    {
        await SideBySide.AssertSameWithEnvironmentAsync(RangeScript(), null, new Dictionary<string, string> { [variable] = value }, "get", "k");
    }

    private static IEnumerable<WatchResponse> Canceled(WatchCreateRequest request)
    {
        yield return new WatchResponse { Header = Responses.Header(), Created = true };
        var events = new WatchResponse { Header = Responses.Header() };
        events.Events.Add(new Event { Kv = Responses.Kv(request.Key.ToStringUtf8(), "v") });
        yield return events;
        yield return new WatchResponse { Header = Responses.Header(), Canceled = true, CompactRevision = 2 };
    }

    [Theory]
    [InlineData("w/k", "", new string[] { "watch" })]
    [InlineData("w/a", "w/z", new string[] { "watch" })]
    [InlineData("w/k", "", new string[] { "watch", "other" })]
    [InlineData("", "w/z", new string[] { "watch", "w/a" })]
    public async Task Watch_key_and_range_end_come_from_the_environment(string key, string rangeEnd, string[] args)
    {
        // Only set variables get passed: etcdctl warns about empty ETCDCTL_* variables (cairn ignores them).
        var environment = new Dictionary<string, string> { ["ETCDCTL_WATCH_KEY"] = key, ["ETCDCTL_WATCH_RANGE_END"] = rangeEnd }
            .Where(variable => variable.Value.Length > 0).ToDictionary();
        var script = new EtcdScript { Watch = Canceled };
        await SideBySide.AssertSameWithEnvironmentAsync(script, null, environment, args);
    }
}
