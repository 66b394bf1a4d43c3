using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Snapshots;
using Cairn.Storage.StateMachine;
using Cairn.Storage.Tests.Model;
using Cairn.Storage.Tests.Support;
using Cairn.Storage.Watch;
using Google.Protobuf;
using static Cairn.Storage.Tests.Support.Kv;
using AlarmAction = Cairn.Protocol.Etcd.AlarmRequest.Types.AlarmAction;

namespace Cairn.Storage.Tests.Snapshots;

/// <summary>Snapshot round trips, corruption detection, determinism, and the etcd snapshot stream.</summary>
public sealed class SnapshotTests : IDisposable
{
    private readonly TempDirectory _snapshots = new();

    public void Dispose() => _snapshots.Dispose();

    /// <summary>A varied history: keys, overwrites, deletes, leases, a compaction, an alarm, membership.</summary>
    private static List<InternalRequest> History(int seed, int writes, bool corruptAlarm = false)
    {
        var requests = new List<InternalRequest>
        {
            Requests.Bootstrap(77, 0xAA, "http://127.0.0.1:2380"),
            Requests.Grant(1, 600),
            Requests.Grant(2, 30),
        };
        requests.AddRange(new OperationGenerator(new Random(seed), new ReferenceModel()).MixedWrites(writes));

        requests.Add(Requests.Put("leased", "v", lease: 1));
        requests.Add(Requests.Compact(writes / 2));
        requests.Add(Requests.Alarm(AlarmAction.Activate, corruptAlarm ? AlarmType.Corrupt : AlarmType.Nospace, member: 9));
        requests.Add(Requests.Alarm(AlarmAction.Deactivate, AlarmType.Nospace, member: 9));
        var checkpoint = new LeaseCheckpointRequest();
        checkpoint.Checkpoints.Add(new LeaseCheckpoint { ID = 1, RemainingTTL = 123 });
        requests.Add(new InternalRequest { LeaseCheckpoint = checkpoint });
        return requests;
    }

    private static void ApplyAll(MachineFixture fixture, IEnumerable<InternalRequest> requests)
    {
        foreach (InternalRequest request in requests)
        {
            fixture.Apply(request);
        }
    }

    private static void AssertSameState(KvStateMachine expected, KvStateMachine actual)
    {
        Assert.Equal(expected.HashState(), actual.HashState());
        Assert.Equal(expected.Store.HashKV(0), actual.Store.HashKV(0));
        Assert.Equal((expected.AppliedIndex, expected.AppliedTerm), (actual.AppliedIndex, actual.AppliedTerm));
        Assert.Equal(expected.Store.CompactRevision, actual.Store.CompactRevision);
        for (long revision = Math.Max(1, expected.Store.CompactRevision); revision <= expected.Store.CurrentRevision; revision++)
        {
            var all = new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = revision };
            Assert.Equal(expected.Store.Range(all), actual.Store.Range(all));
        }

        Assert.Equal(expected.Leases.Leases(), actual.Leases.Leases());
        foreach (LeaseStatus lease in expected.Leases.Leases().Leases)
        {
            // A checkpointed remaining TTL counts down from when each machine applied (or restored) it, so the two
            // may be a second or two apart; everything else about the lease is the same.
            LeaseTimeToLiveResponse before = expected.Leases.TimeToLive(lease.ID, true);
            LeaseTimeToLiveResponse after = actual.Leases.TimeToLive(lease.ID, true);
            Assert.InRange(after.TTL - before.TTL, -2, 2);
            before = before.Clone();
            after = after.Clone();
            before.TTL = after.TTL = 0;
            Assert.Equal(before, after);
        }

        Assert.Equal(expected.Alarms.List(), actual.Alarms.List());
        Assert.Equal(expected.Cluster.List(), actual.Cluster.List());
        Assert.Equal(expected.Cluster.ClusterId, actual.Cluster.ClusterId);
    }

    [Fact]
    public void A_loaded_snapshot_has_the_same_state_and_keeps_applying_the_same_way()
    {
        using var original = new MachineFixture();
        List<InternalRequest> history = History(seed: 1, writes: 300, corruptAlarm: true);
        ApplyAll(original, history);
        SnapshotFileInfo file = original.Machine.WriteSnapshot(_snapshots.Path);
        Assert.Equal(original.Machine.AppliedIndex, file.AppliedIndex);

        using var loadedDirectory = new TempDirectory();
        using KvStateMachine loaded = KvStateMachine.FromSnapshot(new StateMachineOptions
        {
            Mvcc = new MvccOptions { ValueDirectory = loadedDirectory.Sub("values") }, LocalMemberId = 0xAA, Time = original.Time,
        }, file.Path);
        AssertSameState(original.Machine, loaded);

        original.Apply(Requests.Alarm(AlarmAction.Deactivate, AlarmType.Corrupt, member: 9));
        loaded.Apply(loaded.AppliedIndex + 1, 1, Requests.Alarm(AlarmAction.Deactivate, AlarmType.Corrupt, member: 9).ToByteArray());
        foreach (InternalRequest request in History(seed: 2, writes: 100).Skip(3).Where(r => r.RequestCase == InternalRequest.RequestOneofCase.Put))
        {
            original.Apply(request);
            loaded.Apply(loaded.AppliedIndex + 1, 1, request.ToByteArray());
        }

        _ = original.Apply(Requests.Revoke(1));
        loaded.Apply(loaded.AppliedIndex + 1, 1, Requests.Revoke(1).ToByteArray());
        AssertSameState(original.Machine, loaded);
    }

    [Fact]
    public void Machines_applying_the_same_entries_write_identical_snapshots()
    {
        using var a = new MachineFixture();
        using var b = new MachineFixture(mvcc: o => new MvccOptions { ValueDirectory = o.ValueDirectory, ValueSegmentBytes = 4096, MaintenanceBatchKeys = 2 });
        List<InternalRequest> history = History(seed: 3, writes: 250);
        ApplyAll(a, history);
        ApplyAll(b, history);
        while (b.Machine.RunMaintenance())
        {
        }

        byte[] bytesA = SnapshotBytes(a.Machine);
        byte[] bytesB = SnapshotBytes(b.Machine);
        Assert.Equal(bytesA, bytesB);
        Assert.Equal(a.Machine.HashState(), b.Machine.HashState());
    }

    private static byte[] SnapshotBytes(KvStateMachine machine)
    {
        using StateSnapshot snapshot = machine.CaptureSnapshot();
        using var memory = new MemoryStream();
        snapshot.WriteTo(memory);
        return memory.ToArray();
    }

    [Fact]
    public void A_snapshot_keeps_its_point_in_time_while_apply_and_compaction_continue()
    {
        using var live = new MachineFixture();
        using var frozen = new MachineFixture();
        List<InternalRequest> history = History(seed: 4, writes: 200);
        ApplyAll(live, history);
        ApplyAll(frozen, history);

        using StateSnapshot snapshot = live.Machine.CaptureSnapshot();
        foreach (InternalRequest request in History(seed: 5, writes: 100).Where(r => r.RequestCase == InternalRequest.RequestOneofCase.Put))
        {
            live.Apply(request);
        }

        ApplyResult compaction = live.Apply(Requests.Compact(live.Machine.Store.CurrentRevision));
        Assert.Null(compaction.Error);
        while (live.Machine.RunMaintenance())
        {
        }

        string path = Path.Combine(_snapshots.Path, "frozen.snap");
        using (var file = File.Create(path))
        {
            snapshot.WriteTo(file);
        }

        using var directory = new TempDirectory();
        using KvStateMachine loaded = KvStateMachine.FromSnapshot(
            new StateMachineOptions { Mvcc = new MvccOptions { ValueDirectory = directory.Sub("v") }, LocalMemberId = 0xAA }, path);
        AssertSameState(frozen.Machine, loaded);
        Assert.True(live.Machine.Store.HasMaintenanceWork, "physical compaction must wait for the open snapshot");
        Assert.False(compaction.PhysicalCompaction!.IsCompleted);
    }

    [Fact]
    public void Damaged_snapshots_are_detected_and_the_newest_valid_one_is_chosen()
    {
        using var fixture = new MachineFixture();
        ApplyAll(fixture, History(seed: 6, writes: 100));
        SnapshotFileInfo older = fixture.Machine.WriteSnapshot(_snapshots.Path);
        fixture.Apply(Requests.Put("more", "x"));
        SnapshotFileInfo newer = fixture.Machine.WriteSnapshot(_snapshots.Path);

        byte[] bytes = File.ReadAllBytes(newer.Path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(newer.Path, bytes);
        var damaged = new List<string>();
        SnapshotFileInfo? chosen = SnapshotFiles.FindLatestValid(_snapshots.Path, (path, why) => damaged.Add($"{path}: {why}"));
        Assert.Equal(older.Path, chosen?.Path);
        Assert.Contains("checksum mismatch", Assert.Single(damaged));

        var error = Assert.Throws<InvalidDataException>(() => KvStateMachine.FromSnapshot(
            new StateMachineOptions { Mvcc = new MvccOptions { ValueDirectory = _snapshots.Sub("v") } }, newer.Path));
        Assert.Contains(newer.Path, error.Message);
        Assert.Contains("use an older snapshot", error.Message);
    }

    [Fact]
    public void Truncated_and_foreign_files_are_rejected_with_a_reason()
    {
        using var fixture = new MachineFixture();
        ApplyAll(fixture, History(seed: 7, writes: 20));
        SnapshotFileInfo file = fixture.Machine.WriteSnapshot(_snapshots.Path);
        byte[] bytes = File.ReadAllBytes(file.Path);
        File.WriteAllBytes(file.Path, bytes[..^5]);
        Assert.Contains("CAIRNEND", Assert.Throws<InvalidDataException>(() => SnapshotFiles.Verify(file.Path)).Message);
        File.WriteAllBytes(file.Path, new byte[500]);
        Assert.Contains("CAIRNSNP", Assert.Throws<InvalidDataException>(() => SnapshotFiles.Verify(file.Path)).Message);
        Assert.Empty(Directory.GetFiles(_snapshots.Path, "*.tmp"));
    }

    [Fact]
    public void Etcd_stream_is_padded_chunked_and_hashed()
    {
        using var fixture = new MachineFixture();
        ApplyAll(fixture, History(seed: 8, writes: 400));
        SnapshotFileInfo file = fixture.Machine.WriteSnapshot(_snapshots.Path);
        List<SnapshotResponse> responses = EtcdSnapshotStream.Responses(file.Path).ToList();

        long total = EtcdSnapshotStream.PaddedLength(file.Bytes);
        Assert.Equal(0, total % 512);
        Assert.Equal(total, responses[..^1].Sum(r => (long)r.Blob.Length));
        Assert.All(responses[..^2], r => Assert.Equal(32 * 1024, r.Blob.Length));
        Assert.Equal(0UL, responses[^2].RemainingBytes);
        Assert.Equal((ulong)(total - responses[0].Blob.Length), responses[0].RemainingBytes);
        Assert.All(responses, r => Assert.Null(r.Header));
        byte[] padded = responses[..^1].SelectMany(r => r.Blob.ToByteArray()).ToArray();
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(padded), responses[^1].Blob.ToByteArray());
    }

    [Fact]
    public void Installing_a_snapshot_replaces_the_state_and_watchers_catch_up()
    {
        using var leader = new MachineFixture();
        using var follower = new MachineFixture();
        List<InternalRequest> history = History(seed: 10, writes: 150);
        ApplyAll(leader, history.Take(60));
        ApplyAll(follower, history.Take(60));
        Watcher watcher = follower.Machine.Watches.Register(new WatchCreateRequest { Key = B("leased") }, null);
        ApplyAll(leader, history.Skip(60));
        SnapshotFileInfo file = leader.Machine.WriteSnapshot(_snapshots.Path);

        follower.Machine.InstallSnapshot(file.Path);
        AssertSameState(leader.Machine, follower.Machine);
        var events = new List<Event>();
        WatchTakeResult result = watcher.TryTake(events, 100);
        Assert.Equal(WatchTakeStatus.Compacted, result.Status);
        follower.Apply(Requests.Put("after", "install"));
        Assert.Equal(leader.Machine.Store.CurrentRevision + 1, follower.Machine.Store.CurrentRevision);
    }

    [Fact]
    public void Values_served_from_a_loaded_snapshot_file_are_released_after_they_are_overwritten_and_compacted()
    {
        using var original = new MachineFixture();
        for (int i = 0; i < 200; i++)
        {
            original.Apply(Requests.Put("k" + i, new string('v', 500)));
        }

        SnapshotFileInfo file = original.Machine.WriteSnapshot(_snapshots.Path);
        using var directory = new TempDirectory();
        using KvStateMachine loaded = KvStateMachine.FromSnapshot(
            new StateMachineOptions { Mvcc = new MvccOptions { ValueDirectory = directory.Sub("v") } }, file.Path);
        Assert.Equal(1, loaded.Store.Values.MappedSpaceCount);
        Assert.Equal(new string('v', 500), S(loaded.Store.Range(Get("k7")).Kvs.Single().Value));

        for (int i = 0; i < 200; i++)
        {
            loaded.Apply(loaded.AppliedIndex + 1, 1, Requests.Put("k" + i, "new").ToByteArray());
        }

        loaded.Apply(loaded.AppliedIndex + 1, 1, Requests.Compact(loaded.Store.CurrentRevision).ToByteArray());
        while (loaded.RunMaintenance())
        {
        }

        Assert.Equal(1, loaded.Store.Values.MappedSpaceCount);
        Assert.Equal("new", S(loaded.Store.Range(Get("k7")).Kvs.Single().Value));
        Assert.Equal(200 * 3, loaded.Store.Values.LiveBytes);
    }
}
