using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Cli.Tests.Support;
using Cairn.Testing;
using Xunit.Abstractions;

namespace Cairn.Cli.Tests.EndToEnd;

/// <summary>
/// End to end against real etcd 3.4 over the network: the same scenario of commands through stock etcdctl and
/// through cairn's verbs (Cairn.Client), each against its own identical etcd; stdout, stderr and exit codes must
/// match after replacing client ports, lease IDs, new member IDs and remaining TTLs.
/// </summary>
public class RealEtcdScenarioTests
{
    private readonly ITestOutputHelper log;

    public RealEtcdScenarioTests(ITestOutputHelper log) => this.log = log;

    private sealed record Step(string[] Args, string? Stdin = null, string? Capture = null);

    private static readonly Step[] Scenario =
    [
        new(["put", "greeting", "hello"]),
        new(["put", "greeting", "hello world", "--prev-kv"]),
        new(["put", "greeting2", "bye", "-w", "json"]),
        new(["put", "binary", "b\u00ffn\t\"q<&>", "-w", "fields"]),
        new(["get", "greeting"]),
        new(["get", "greet", "--prefix", "-w", "json"]),
        new(["get", "", "--prefix", "--keys-only", "-w", "fields"]),
        new(["get", "", "--from-key", "--limit", "2", "--sort-by", "VALUE", "--order", "DESCEND"]),
        new(["get", "binary", "--hex"]),
        new(["get", "greeting", "--print-value-only"]),
        new(["get", "nosuchkey", "-w", "json"]),
        new(["get", "greeting", "-w", "protobuf"]),
        new(["get", "greeting", "-w", "table"]),
        new(["txn", "-w", "json"], "value(\"greeting\") = \"hello world\"\nmod(\"greeting\") > \"1\"\n\nput t1 v1\nget greeting\n\nget greeting2\n\n"),
        new(["txn"], "version(\"t1\") = \"5\"\n\nput t1 never\n\nget t1\ndel greeting2 --prev-kv\n\n"),
        new(["txn", "-w", "fields"], "create(\"nosuch\") = \"0\"\n\ndel t --prefix\n\n\n"),
        new(["del", "greeting", "--prev-kv", "-w", "json"]),
        new(["del", "nosuchkey"]),
        new(["lease", "grant", "600"], Capture: "lease"),
        new(["put", "leased", "v", "--lease", "{lease}"]),
        new(["lease", "timetolive", "{lease}", "--keys"]),
        new(["lease", "timetolive", "{lease}", "-w", "json"]),
        new(["lease", "list"]),
        new(["lease", "list", "-w", "json"]),
        new(["lease", "keep-alive", "--once", "{lease}"]),
        new(["lease", "keep-alive", "--once", "{lease}", "-w", "fields"]),
        new(["lease", "revoke", "{lease}"]),
        new(["lease", "revoke", "{lease}"]),
        new(["lease", "keep-alive", "--once", "{lease}"]),
        new(["lease", "timetolive", "{lease}"]),
        new(["get", "leased", "-w", "json"]),
        new(["put", "k", "v", "--lease", "1234"]),
        new(["compaction", "3"]),
        new(["compaction", "2"]),
        new(["get", "greeting", "--rev", "2"]),
        new(["get", "greeting", "--rev", "1000"]),
        new(["watch", "binary", "--rev", "2", "-w", "json"]),
        new(["watch", "binary", "--rev", "2"]),
        new(["endpoint", "status", "-w", "table"]),
        new(["endpoint", "status", "-w", "json"]),
        // The hash covers the lease IDs in the history, which differ between the twins: hash up to before the lease.
        new(["endpoint", "hashkv", "--rev", "5"]),
        new(["endpoint", "hashkv", "-w", "fields", "--rev", "4"]),
        new(["member", "list", "-w", "table"]),
        new(["member", "list", "-w", "json"]),
        new(["member", "add", "learner", "--learner", "--peer-urls", "http://127.0.0.1:2390"], Capture: "member"),
        new(["member", "list"]),
        new(["member", "promote", "{member}"]),
        new(["member", "remove", "{member}"]),
        new(["member", "remove", "{member}"]),
        new(["alarm", "list"]),
        new(["alarm", "disarm", "-w", "json"]),
        new(["defrag"]),
        new(["move-leader", "1"]),
        new(["lock", "mylock", "--", "true"]),
        new(["lock", "mylock", "--", "sh", "-c", "exit 3"]),
        new(["get", "mylock", "--prefix"]),
    ];

    [Fact]
    public Task Cairn_and_etcdctl_print_the_same_for_the_same_scenario() =>
        RunScenarioAsync(nativeBinary: false);

    [Fact]
    public Task The_native_aot_binary_prints_the_same_as_etcdctl_for_the_same_scenario() =>
        RunScenarioAsync(nativeBinary: true);

    private async Task RunScenarioAsync(bool nativeBinary)
    {
        await using var twins = await TwinEtcd.StartAsync();
        var etcdctlVariables = new Dictionary<string, string>();
        var cairnVariables = new Dictionary<string, string>();
        foreach (var step in Scenario)
        {
            var etcdctl = await twins.EtcdctlAsync(Substitute(step.Args, etcdctlVariables), step.Stdin);
            var cairnArgs = Substitute(step.Args, cairnVariables);
            var cairn = nativeBinary ? await twins.CairnBinaryAsync(cairnArgs, step.Stdin) : twins.Cairn(cairnArgs, step.Stdin);
            Capture(step, etcdctl, etcdctlVariables);
            Capture(step, cairn, cairnVariables);
            string what = string.Join(' ', step.Args);
            log.WriteLine($"$ {what}\n{etcdctl.Text}{etcdctl.Stderr}(exit {etcdctl.ExitCode})");
            var placeholders = Placeholders(etcdctlVariables);
            var cairnPlaceholders = Placeholders(cairnVariables);
            Assert.True(etcdctl.ExitCode == cairn.ExitCode, $"{what}: exit code\n--- etcdctl ---\n{etcdctl}\n--- cairn ---\n{cairn}");
            if (step.Args is ["member", "list", ..])
            {
                // Members are listed by their random IDs, so two members come in either order.
                Assert.Equal(SortedLines(Normalize(etcdctl.Text, placeholders)), SortedLines(Normalize(cairn.Text, cairnPlaceholders)));
            }
            else if (!step.Args.Contains("protobuf"))
            {
                Assert.Equal(Normalize(etcdctl.Text, placeholders), Normalize(cairn.Text, cairnPlaceholders));
            }
            else
            {
                Assert.Equal(etcdctl.Stdout, cairn.Stdout);
            }
            Assert.Equal(Normalize(etcdctl.Stderr, placeholders), Normalize(cairn.Stderr, cairnPlaceholders));
        }
    }

    // Timing-dependent values: a lease's remaining TTL depends on when each tool asked, the database file size on
    // when etcd's backend committed its batches, and the raft index on etcd's own start-up entries.
    private static string Normalize(string text, IReadOnlyDictionary<string, string> placeholders)
    {
        text = TwinEtcd.Normalize(text, placeholders);
        // etcd lists members by ID, and IDs are random: the new member comes before or after the old one by chance.
        text = Regex.Replace(text, "ETCD_INITIAL_CLUSTER=\"([^\"]*)\"",
            match => $"ETCD_INITIAL_CLUSTER=\"{string.Join(',', match.Groups[1].Value.Split(',').Order(StringComparer.Ordinal))}\"");
        text = Regex.Replace(text, @"remaining\(\d+s\)", "remaining(Ns)");
        text = Regex.Replace(text, "\"ttl\":\\d+", "\"ttl\":N");
        text = Regex.Replace(text, @"\b\d+(\.\d)? [kMG]B\b", match => new string('S', match.Length));
        text = Regex.Replace(text, "\"(dbSize|dbSizeInUse|raftIndex|raftAppliedIndex)\":\\d+", "\"$1\":N");
        // Raft indexes: etcd's own start-up entries vary by one between runs (table row end, simple row end).
        text = Regex.Replace(text, @"\| +\d+ \| +\d+ \| +\|$", "| INDEX | INDEX | |", RegexOptions.Multiline);
        return Regex.Replace(text, @", \d+, \d+, $", ", INDEX, INDEX, ", RegexOptions.Multiline);
    }

    private static string[] SortedLines(string text) => [.. text.Split('\n').Order(StringComparer.Ordinal)];

    private static string[] Substitute(string[] args, Dictionary<string, string> variables) =>
        args.Select(arg => variables.Aggregate(arg, (text, variable) => text.Replace("{" + variable.Key + "}", variable.Value, StringComparison.Ordinal))).ToArray();

    private static void Capture(Step step, CommandResult result, Dictionary<string, string> variables)
    {
        if (step.Capture == "lease")
        {
            variables["lease"] = result.Text.Split(' ')[1];
        }
        else if (step.Capture == "member")
        {
            variables["member"] = result.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        }
    }

    // IDs the two servers chose independently, in every spelling the outputs use (hex and decimal).
    private static Dictionary<string, string> Placeholders(Dictionary<string, string> variables)
    {
        var placeholders = new Dictionary<string, string>();
        foreach (var (name, hex) in variables)
        {
            ulong value = ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            placeholders[hex.PadLeft(16, '0')] = $"<{name}-hex16>";
            placeholders[hex] = $"<{name}-hex>";
            placeholders[value.ToString(CultureInfo.InvariantCulture)] = $"<{name}-dec>";
        }
        return placeholders;
    }
}
