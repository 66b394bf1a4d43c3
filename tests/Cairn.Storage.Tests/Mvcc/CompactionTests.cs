using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Tests.Support;
using static Cairn.Storage.Tests.Support.Kv;

namespace Cairn.Storage.Tests.Mvcc;

/// <summary>Compaction rules (reference §4.6) and the physical purge.</summary>
public sealed class CompactionTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    private MvccStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    private CompactionResponse Compact(long revision) => Store.Compact(new CompactionRequest { Revision = revision }, out _);

    private void DrainMaintenance()
    {
        for (int i = 0; i < 10_000 && Store.RunMaintenanceStep(); i++)
        {
        }

        Assert.False(Store.HasMaintenanceWork);
    }

    [Fact]
    public void A_fresh_store_can_compact_to_zero_then_not_again()
    {
        // Observed on etcd 3.4.23: the compaction revision starts at -1, so Compact(0) succeeds once.
        Assert.Equal(1, Compact(0).Header.Revision);
        Assert.Equal(0, Store.CompactRevision);
        Assert.Same(EtcdError.Compacted, ErrorOf(() => Compact(0)));
    }

    [Fact]
    public void Compaction_must_move_forward_and_not_past_the_current_revision()
    {
        for (int i = 0; i < 5; i++)
        {
            _fixture.Put("k", i.ToString());
        }

        Assert.Same(EtcdError.FutureRevision, ErrorOf(() => Compact(7)));
        Assert.Equal(6, Compact(4).Header.Revision);
        Assert.Same(EtcdError.Compacted, ErrorOf(() => Compact(4)));
        Assert.Same(EtcdError.Compacted, ErrorOf(() => Compact(3)));
        Compact(6);
        Assert.Equal(6, Store.CompactRevision);
        Assert.Equal(6, Store.CurrentRevision);
    }

    [Fact]
    public void Purge_keeps_the_latest_record_at_or_below_the_revision_and_drops_compacted_tombstones()
    {
        _fixture.Put("a", "1");                     // 2
        _fixture.Put("a", "2");                     // 3
        _fixture.Put("b", "1");                     // 4
        Store.DeleteRange(Delete("b"));             // 5
        _fixture.Put("a", "3");                     // 6
        Store.Compact(new CompactionRequest { Revision = 5 }, out Task physical);
        Assert.False(physical.IsCompleted);
        Assert.Equal(5, Store.RecordCount);
        DrainMaintenance();

        Assert.True(physical.IsCompletedSuccessfully);
        Assert.Equal(2, Store.RecordCount);
        Assert.Equal(1, Store.IndexedKeyCount);
        Assert.Equal("2", S(Store.Range(Get("a", revision: 5)).Kvs.Single().Value));
        Assert.Equal(3, Store.Range(Get("a")).Kvs.Single().Version);
        Assert.Empty(Store.Range(Get("b", revision: 5)).Kvs);
    }

    [Fact]
    public void Physical_purge_waits_while_maintenance_is_blocked()
    {
        _fixture.Put("a", "1");
        _fixture.Put("a", "2");
        Store.BlockMaintenance();
        Store.Compact(new CompactionRequest { Revision = 3 }, out Task physical);
        Store.RunMaintenanceStep();
        Assert.False(physical.IsCompleted);
        Assert.Equal(2, Store.RecordCount);
        Store.UnblockMaintenance();
        DrainMaintenance();
        Assert.True(physical.IsCompleted);
        Assert.Equal(1, Store.RecordCount);
    }

    [Fact]
    public void Purge_runs_in_bounded_steps()
    {
        using var fixture = new StoreFixture(o => new MvccOptions { ValueDirectory = o.ValueDirectory, MaintenanceBatchKeys = 10 });
        for (int i = 0; i < 100; i++)
        {
            fixture.Put("k" + i.ToString("D3"), "1");
            fixture.Put("k" + i.ToString("D3"), "2");
        }

        fixture.Store.Compact(new CompactionRequest { Revision = fixture.Store.CurrentRevision }, out Task physical);
        int steps = 0;
        while (fixture.Store.RunMaintenanceStep())
        {
            steps++;
        }

        Assert.InRange(steps, 9, 12);
        Assert.True(physical.IsCompleted);
        Assert.Equal(100, fixture.Store.RecordCount);
    }

    [Fact]
    public void Size_in_use_counts_live_records_and_shrinks_after_purge()
    {
        Assert.Equal(0, Store.SizeInUseBytes);
        _fixture.Put("key", "value");
        Assert.Equal(3 + 5 + MvccStore.RecordOverheadBytes, Store.SizeInUseBytes);
        _fixture.Put("key", "value2");
        Store.DeleteRange(Delete("key"));
        Assert.Equal(3 * (3 + MvccStore.RecordOverheadBytes) + 11, Store.SizeInUseBytes);
        Compact(Store.CurrentRevision);
        DrainMaintenance();
        Assert.Equal(0, Store.SizeInUseBytes);
        Assert.Equal(0, Store.Values.LiveBytes);
    }

    [Fact]
    public void Value_files_are_reclaimed_after_compaction_and_surviving_values_stay_readable()
    {
        using var fixture = new StoreFixture(o => new MvccOptions
        {
            ValueDirectory = o.ValueDirectory, ValueSegmentBytes = 16 * 1024, MaintenanceBatchKeys = 7,
        });
        string big = new('v', 1000);
        for (int round = 0; round < 20; round++)
        {
            for (int k = 0; k < 10; k++)
            {
                fixture.Put("k" + k, round + big);
            }
        }

        int filesBefore = Directory.GetFiles(fixture.ValueDirectory, "*.vlog").Length;
        fixture.Store.Compact(new CompactionRequest { Revision = fixture.Store.CurrentRevision }, out _);
        for (int i = 0; i < 1000 && fixture.Store.RunMaintenanceStep(); i++)
        {
        }

        int filesAfter = Directory.GetFiles(fixture.ValueDirectory, "*.vlog").Length;
        Assert.True(filesAfter < filesBefore / 2, $"{filesBefore} value files before, {filesAfter} after");
        for (int k = 0; k < 10; k++)
        {
            Assert.Equal("19" + big, S(fixture.Store.Range(Get("k" + k)).Kvs.Single().Value));
        }

        Assert.Equal(10 * (2 + big.Length), fixture.Store.Values.LiveBytes);
    }

    [Fact]
    public void Retired_value_files_wait_for_readers_that_entered_before()
    {
        using var fixture = new StoreFixture(o => new MvccOptions { ValueDirectory = o.ValueDirectory, ValueSegmentBytes = 8192 });
        for (int i = 0; i < 40; i++)
        {
            fixture.Put("k", i + new string('x', 1000));
        }

        ReadGate.Ticket reader = fixture.Store.Gate.Enter();
        int mappedBefore = fixture.Store.Values.MappedSpaceCount;
        fixture.Store.Compact(new CompactionRequest { Revision = fixture.Store.CurrentRevision }, out _);
        for (int i = 0; i < 100; i++)
        {
            fixture.Store.RunMaintenanceStep();
        }

        Assert.Equal(mappedBefore, fixture.Store.Values.MappedSpaceCount);
        reader.Dispose();
        for (int i = 0; i < 100 && fixture.Store.RunMaintenanceStep(); i++)
        {
        }

        Assert.True(fixture.Store.Values.MappedSpaceCount < mappedBefore);
    }
}
