using System.Text;

namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>
/// Requests etcd refuses: cairn must refuse them with the same exit code and the same message, and keep serving.
/// </summary>
public class ErrorDifferentialTests
{
    [Fact]
    public async Task Refused_requests_fail_with_etcds_exit_codes_and_messages()
    {
        await using ServerPair servers = await ServerPair.StartAsync();
        await servers.SameAsync("put", "k1", "v");

        // Default --max-request-bytes is 1.5 MiB: a 1.6 MB value is refused, a 1.4 MB one is not.
        await servers.SameWithInputAsync(new string('a', 1_600_000), "put", "big");
        await servers.SameWithInputAsync(new string('a', 1_400_000), "put", "big", "-w", "json");
        await servers.SameAsync("get", "big", "--keys-only");

        await servers.SameWithInputAsync(TxnOfPuts(129), "txn");
        await servers.SameWithInputAsync(TxnOfPuts(128), "txn", "-w", "json");
        await servers.SameWithInputAsync("\nput k k\nput k k\n\n\n", "txn");
        await servers.SameWithInputAsync("\nput k k\ndel k\n\n\n", "txn");
        await servers.SameAsync("get", "");
        await servers.SameAsync("put", "", "v");
        await servers.SameAsync("del", "");
        await servers.SameAsync("get", "k1", "--rev", "1000");
        await servers.SameAsync("compaction", "1000");
        await servers.SameAsync("compaction", "3");
        await servers.SameAsync("get", "k1", "--rev", "2");
        await servers.SameAsync("get", "k1", "--rev", "3", "-w", "json");
        await servers.SameAsync("compaction", "2");
        await servers.SameAsync("put", "x", "v", "--lease", "1234");
        await servers.SameAsync("put", "missing", "--ignore-value");
        await servers.SameAsync("put", "missing", "--ignore-lease");
        await servers.SameAsync("put", "k1", "--ignore-lease", "-w", "json");
        await servers.SameAsync("lease", "revoke", "1234");
        await servers.SameAsync("lease", "timetolive", "1234");
        await servers.SameAsync("lease", "timetolive", "1234", "--keys", "-w", "json");
        await servers.SameAsync("lease", "keep-alive", "--once", "1234");
        await servers.SameAsync("lease", "grant", "0");
        await servers.SameAsync("watch", "--rev", "2", "k1");

        // Still serving after all of it.
        await servers.SameAsync("put", "after", "errors", "-w", "json");
        await servers.SameAsync("get", "", "--from-key", "--keys-only");
    }

    [Fact]
    public async Task Space_quota_alarm_and_edge_cases_answer_as_etcd()
    {
        string[] quota = ["--quota-backend-bytes", "1048576"];
        await using ServerPair servers = await ServerPair.StartAsync(quota, quota);

        await servers.SameAsync("put", "a", "1", "--prev-kv");
        await servers.SameAsync("put", "b", "2");
        await servers.SameAsync("put", "c", "3");
        await servers.SameAsync("del", "a", "c", "--prev-kv");
        await servers.SameAsync("del", "", "--from-key", "--prev-kv", "-w", "json");
        await servers.SameAsync("put", "a", "1");
        await servers.SameAsync("lease", "grant", "9000000001");
        await servers.SameAsync("lease", "grant", "1", "-w", "json");
        await servers.SameWithInputAsync("value(\"a\") != \"1\"\n\nput x y\n\n\n", "txn", "-w", "json");
        await servers.SameWithInputAsync("value(\"a\") < \"2\"\n\nput x y\n\n\n", "txn");
        await servers.SameAsync("get", "a", "--rev", "-1");
        await servers.SameAsync("compaction", "2", "--physical");
        await servers.SameAsync("endpoint", "hashkv", "--rev", "1", "-w", "json");
        await servers.SameAsync("get", "a", "c", "--limit", "1", "--sort-by=KEY", "--order=DESCEND", "-w", "json");

        // A write that does not fit the quota raises NOSPACE; writes fail until the alarm is disarmed.
        await servers.SameWithInputAsync(new string('a', 1_400_000), "put", "big");
        await servers.SameAsync("alarm", "list");
        await servers.SameAsync("put", "small", "v");
        await servers.SameAsync("endpoint", "health");
        await servers.SameAsync("alarm", "disarm");
        await servers.SameAsync("alarm", "list");
        await servers.SameAsync("put", "small", "v", "-w", "json");
        await servers.SameAsync("endpoint", "health");
    }

    private static string TxnOfPuts(int count)
    {
        var text = new StringBuilder("\n");
        for (int i = 0; i < count; i++)
        {
            text.Append("put t").Append(i).Append(" v\n");
        }

        return text.Append("\n\n").ToString();
    }
}
