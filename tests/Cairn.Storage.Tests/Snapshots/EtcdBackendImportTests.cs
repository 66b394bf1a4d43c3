using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Cluster;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Snapshots;
using Cairn.Storage.StateMachine;
using Cairn.Storage.Tests.Model;
using Cairn.Storage.Tests.Support;
using Cairn.Storage.Wal;
using static Cairn.Storage.Tests.Support.Kv;

namespace Cairn.Storage.Tests.Snapshots;

/// <summary>
/// Export to etcd's bbolt layout and import back: the state snapshot the import writes loads into the same key space,
/// history and leases at the same revision, at raft index 1 with the new membership, and a WAL that starts after it.
/// </summary>
public sealed class EtcdBackendImportTests
{
    private static readonly (string Name, string PeerUrl)[] Members = [("m1", "http://127.0.0.1:2380")];

    [Theory]
    [InlineData(1, 400)]
    [InlineData(2, 3)]
    public void A_state_exported_as_an_etcd_backend_imports_back_the_same(int seed, int writes)
    {
        using var original = new MachineFixture();
        original.Apply(Requests.Bootstrap(77, 0xAA, "http://127.0.0.1:2380"));
        original.Apply(Requests.Grant(1, 600));
        original.Apply(Requests.Grant(2, 30));
        foreach (InternalRequest request in new OperationGenerator(new Random(seed), new ReferenceModel()).MixedWrites(writes))
        {
            original.Apply(request);
        }

        original.Apply(Requests.Put("leased/a", "a", lease: 1));
        original.Apply(Requests.Put("leased/b", "b", lease: 1));
        original.Apply(Requests.Compact(original.Machine.Store.CurrentRevision / 2));
        original.Apply(Requests.Put("after", "compaction"));

        using var directory = new TempDirectory();
        string backup = directory.Sub("backup.db");
        using (StateSnapshot snapshot = original.Machine.CaptureSnapshot())
        {
            EtcdBackendExport.WriteFile(snapshot, backup);
        }

        EtcdRestoreSummary summary = EtcdBackendImportWriter.Restore(backup, directory.Sub("restored"), directory.Sub("wal"), Members, "m1", "token");
        using KvStateMachine restored = KvStateMachine.FromSnapshot(new StateMachineOptions
        {
            Mvcc = new MvccOptions { ValueDirectory = directory.Sub("values") }, LocalMemberId = 0xAA, Time = original.Time,
        }, summary.SnapshotPath);

        MvccStore expected = original.Machine.Store;
        Assert.Equal((expected.CurrentRevision, expected.CompactRevision), (restored.Store.CurrentRevision, restored.Store.CompactRevision));
        Assert.Equal((expected.CurrentRevision, expected.CompactRevision), (summary.Revision, summary.CompactRevision));
        Assert.Equal(expected.HashKV(0), restored.Store.HashKV(0));
        for (long revision = expected.CompactRevision; revision <= expected.CurrentRevision; revision++)
        {
            var all = new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = revision };
            Assert.Equal(expected.Range(all), restored.Store.Range(all));
        }

        Assert.Equal(original.Machine.Leases.Leases(), restored.Leases.Leases());
        foreach (long id in new long[] { 1, 2 })
        {
            LeaseTimeToLiveResponse before = original.Machine.Leases.TimeToLive(id, true);
            LeaseTimeToLiveResponse after = restored.Leases.TimeToLive(id, true);
            Assert.Equal((before.GrantedTTL, before.Keys.Count), (after.GrantedTTL, after.Keys.Count));
            Assert.Equal(before.Keys, after.Keys);
        }

        Assert.Equal(2, summary.Leases);
        // The new membership, with the IDs a member started with the same flags derives (etcd's derivation).
        Member member = Assert.Single(restored.Cluster.List().Members);
        Assert.Equal(("m1", MemberIds.ForMember(["http://127.0.0.1:2380"], "token")), (member.Name, member.ID));
        Assert.Equal(MemberIds.ForCluster([member.ID]), restored.Cluster.ClusterId);
        Assert.Equal((1UL, 1UL), (restored.AppliedIndex, restored.AppliedTerm));
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Sub("wal"));
        Assert.Equal((2UL, 1UL, new WalHardState(1, 0, 1)), (wal.FirstIndex, wal.LastIndex, wal.HardState));
    }

    [Fact]
    public void A_file_that_is_not_a_bbolt_database_is_refused_and_nothing_is_written()
    {
        using var directory = new TempDirectory();
        string file = directory.Sub("noise.db");
        File.WriteAllBytes(file, Enumerable.Range(0, 20_000).Select(i => (byte)(i * 7)).ToArray());

        Assert.Throws<InvalidDataException>(() => EtcdBackendImportWriter.Restore(file, directory.Sub("restored"), directory.Sub("wal"), Members, "m1", "token"));
        Assert.False(Directory.Exists(directory.Sub("restored")));
        Assert.False(Directory.Exists(directory.Sub("wal")));
    }
}
