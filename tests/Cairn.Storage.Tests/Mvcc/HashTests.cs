using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Tests.Support;
using static Cairn.Storage.Tests.Support.Kv;

namespace Cairn.Storage.Tests.Mvcc;

/// <summary>HashKV: same history → same hash; revision rules; independent of purge progress.</summary>
public sealed class HashTests
{
    private static void Write(StoreFixture fixture, int count, string suffix = "")
    {
        for (int i = 0; i < count; i++)
        {
            fixture.Put("k" + (i % 7), "v" + i + suffix);
            if (i % 5 == 4)
            {
                fixture.Store.DeleteRange(Delete("k" + (i % 3)));
            }
        }
    }

    [Fact]
    public void Crc32c_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, StateCrc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Stores_with_the_same_history_have_the_same_hash_and_a_different_value_changes_it()
    {
        using var a = new StoreFixture();
        using var b = new StoreFixture();
        using var c = new StoreFixture();
        Write(a, 50);
        Write(b, 50);
        Write(c, 50, suffix: "!");
        Assert.Equal(a.Store.HashKV(0).Hash, b.Store.HashKV(0).Hash);
        Assert.NotEqual(a.Store.HashKV(0).Hash, c.Store.HashKV(0).Hash);
        Assert.Equal(a.Store.HashKV(0).Header.Revision, c.Store.HashKV(0).Header.Revision);
    }

    [Fact]
    public void Hash_at_an_old_revision_equals_the_hash_of_a_store_that_stopped_there()
    {
        using var full = new StoreFixture();
        using var partial = new StoreFixture();
        Write(full, 40);
        Write(partial, 20);
        Assert.Equal(partial.Store.HashKV(0).Hash, full.Store.HashKV(partial.Store.CurrentRevision).Hash);
    }

    [Fact]
    public void Hash_does_not_depend_on_physical_purge_progress()
    {
        using var a = new StoreFixture();
        Write(a, 60);
        a.Store.Compact(new CompactionRequest { Revision = 30 }, out _);
        uint beforePurge = a.Store.HashKV(0).Hash;
        while (a.Store.RunMaintenanceStep())
        {
        }

        Assert.Equal(beforePurge, a.Store.HashKV(0).Hash);
        Assert.Equal(30, a.Store.HashKV(0).CompactRevision);
    }

    [Fact]
    public void Hash_revision_rules_follow_etcd()
    {
        using var a = new StoreFixture();
        Assert.Equal(-1, a.Store.HashKV(0).CompactRevision);
        Write(a, 10);
        long current = a.Store.CurrentRevision;
        Assert.Same(EtcdError.FutureRevision, ErrorOf(() => a.Store.HashKV(current + 1)));
        a.Store.Compact(new CompactionRequest { Revision = 5 }, out _);
        Assert.Same(EtcdError.Compacted, ErrorOf(() => a.Store.HashKV(5)));
        Assert.Same(EtcdError.Compacted, ErrorOf(() => a.Store.HashKV(4)));
        Assert.Equal(current, a.Store.HashKV(6).Header.Revision);
        a.Store.Compact(new CompactionRequest { Revision = current }, out _);
        Assert.Equal(current, a.Store.HashKV(0).CompactRevision);
    }

    [Fact]
    public void Compaction_changes_the_hash_only_through_the_records_it_drops()
    {
        using var a = new StoreFixture();
        using var b = new StoreFixture();
        Write(a, 30);
        Write(b, 30);
        a.Store.Compact(new CompactionRequest { Revision = 10 }, out _);
        Assert.NotEqual(a.Store.HashKV(0).Hash, b.Store.HashKV(0).Hash);
        b.Store.Compact(new CompactionRequest { Revision = 10 }, out _);
        Assert.Equal(a.Store.HashKV(0).Hash, b.Store.HashKV(0).Hash);
    }
}
