namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>
/// The KV verbs of stock etcdctl against real etcd and cairn serve, step by step from revision 1: outputs (with
/// header revisions) must be identical after normalizing IDs.
/// </summary>
public class KvDifferentialTests
{
    [Fact]
    public async Task Put_get_del_txn_and_compaction_answer_exactly_as_etcd()
    {
        await using ServerPair servers = await ServerPair.StartAsync();

        await servers.SameAsync("put", "a", "1");
        await servers.SameAsync("put", "a", "2", "--prev-kv");
        await servers.SameAsync("put", "a", "3", "--prev-kv", "-w", "json");
        await servers.SameAsync("put", "b", "x");
        await servers.SameAsync("put", "c", "y");
        await servers.SameWithInputAsync("from stdin", "put", "d");
        await servers.SameAsync("put", "a", "--ignore-value", "-w", "json");
        await servers.SameAsync("get", "a", "-w", "json");
        await servers.SameAsync("get", "a", "--prefix");
        await servers.SameAsync("get", "a", "--from-key");
        await servers.SameAsync("get", "a", "--from-key", "--keys-only");
        await servers.SameAsync("get", "a", "--from-key", "--limit", "2", "-w", "json");
        await servers.SameAsync("get", "a", "--from-key", "--sort-by=MODIFY", "--order=DESCEND");
        await servers.SameAsync("get", "a", "--from-key", "--sort-by=VALUE", "--order=ASCEND", "--print-value-only");
        await servers.SameAsync("get", "a", "--from-key", "--sort-by=CREATE", "--order=DESCEND", "-w", "json");
        await servers.SameAsync("get", "a", "z", "--sort-by=VERSION", "-w", "json");
        await servers.SameAsync("get", "a", "--rev", "2");
        await servers.SameAsync("get", "a", "-w", "fields");
        await servers.SameAsync("get", "a", "-w", "table");
        await servers.SameAsync("get", "a", "--count-only");
        await servers.SameAsync("get", "a", "--consistency", "s", "-w", "json");
        await servers.SameAsync("get", "missing", "-w", "json");
        await servers.SameAsync("del", "d", "--prev-kv");
        await servers.SameAsync("del", "b", "--prev-kv", "-w", "json");
        await servers.SameAsync("put", "p/1", "1");
        await servers.SameAsync("put", "p/2", "2");
        await servers.SameAsync("del", "p", "--prefix", "-w", "json");
        await servers.SameAsync("del", "nothing");
        await servers.SameWithInputAsync("value(\"a\") = \"3\"\n\nput t1 v1\nget a\n\nput t2 v2\n\n", "txn", "-w", "json");
        await servers.SameWithInputAsync("value(\"a\") = \"x\"\nmod(\"c\") > \"0\"\n\nput t1 v1\n\nget t1\ndel c\n\n", "txn");
        await servers.SameWithInputAsync("version(\"a\") = \"3\"\ncreate(\"zz\") = \"0\"\n\nget t --prefix --limit=1\n\n\n", "txn", "-w", "fields");
        await servers.SameWithInputAsync("\nput t3 v3\n\n\n", "txn", "-i");
        await servers.SameAsync("compaction", "5");
        await servers.SameAsync("get", "a", "--rev", "4");
        await servers.SameAsync("get", "a", "--rev", "5", "-w", "json");
        await servers.SameAsync("compaction", "5");
        await servers.SameAsync("compaction", "100");
        await servers.SameAsync("del", "a", "--from-key", "-w", "json");
        await servers.SameAsync("get", "", "--from-key", "-w", "json");
    }
}
