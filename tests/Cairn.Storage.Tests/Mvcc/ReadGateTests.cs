using Cairn.Storage.Mvcc;
using Cairn.Storage.Tests.Support;
using static Cairn.Storage.Tests.Support.Kv;

namespace Cairn.Storage.Tests.Mvcc;

/// <summary>The epoch gate that keeps mapped memory alive for readers, and reads of a closed store.</summary>
public sealed class ReadGateTests
{
    [Fact]
    public void A_flip_drains_only_when_readers_of_the_old_epoch_leave()
    {
        var gate = new ReadGate();
        ReadGate.Ticket before = gate.Enter();
        int old = gate.Flip();
        ReadGate.Ticket after = gate.Enter();
        Assert.False(gate.IsDrained(old));
        Assert.NotEqual(old, gate.CurrentSlot);
        before.Dispose();
        Assert.True(gate.IsDrained(old));
        Assert.False(gate.IsDrained(gate.CurrentSlot));
        after.Dispose();
        Assert.True(gate.IsDrained(gate.CurrentSlot));
    }

    [Fact]
    public void Reads_of_a_disposed_store_fail_cleanly()
    {
        var fixture = new StoreFixture();
        fixture.Put("a", "1");
        fixture.Store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => fixture.Store.Range(Get("a")));
        Assert.Throws<ObjectDisposedException>(() => fixture.Store.HashKV(0));
        fixture.Dispose();
    }

    [Fact]
    public async Task Dispose_waits_for_a_reader_in_progress()
    {
        var fixture = new StoreFixture();
        fixture.Put("a", "1");
        ReadGate.Ticket reader = fixture.Store.Gate.Enter();
        Task disposing = Task.Run(fixture.Store.Dispose);
        await Task.Delay(100);
        Assert.False(disposing.IsCompleted);
        reader.Dispose();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
        fixture.Dispose();
    }
}
