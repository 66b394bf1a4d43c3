using System.Security.Cryptography;
using Cairn.Cli.Tests.Support;
using Cairn.Protocol.Etcd;
using Cairn.Testing;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Differential;

/// <summary>snapshot save: same file, output and errors as etcdctl 3.4.</summary>
public class SnapshotDifferentialTests
{
    private static (byte[] File, EtcdScript Script) SnapshotScript(bool corruptHash = false)
    {
        var database = new byte[1024];
        new Random(7).NextBytes(database);
        byte[] hash = SHA256.HashData(database);
        if (corruptHash)
        {
            hash[0] ^= 0xff;
        }
        var script = new EtcdScript
        {
            Snapshot = () =>
            [
                new SnapshotResponse { RemainingBytes = 1056, Blob = ByteString.CopyFrom(database, 0, 600) },
                new SnapshotResponse { RemainingBytes = 456, Blob = ByteString.CopyFrom(database, 600, 424) },
                new SnapshotResponse { RemainingBytes = 0, Blob = ByteString.CopyFrom(hash) },
            ],
        };
        return ([.. database, .. hash], script);
    }

    [Fact]
    public async Task Save_writes_the_streamed_database_and_its_hash()
    {
        using var directory = new TempDirectory("cairn-snapshot");
        string path = directory.Combine("snap.db");
        var (expected, script) = SnapshotScript();
        var (etcdctl, _) = await SideBySide.AssertSameAsync(script, "snapshot", "save", path);
        Assert.Equal($"Snapshot saved at {path}\n", etcdctl.Text);
        Assert.Equal(expected, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".part"));
    }

    [Fact]
    public async Task Save_of_a_stream_without_a_hash_fails_like_etcdctl()
    {
        using var directory = new TempDirectory("cairn-snapshot");
        string path = directory.Combine("snap.db");
        var script = new EtcdScript { Snapshot = () => [new SnapshotResponse { Blob = ByteString.CopyFrom(new byte[1000]) }] };
        var (etcdctl, _) = await SideBySide.AssertSameAsync(script, "snapshot", "save", path);
        Assert.Equal(5, etcdctl.ExitCode);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Save_needs_exactly_one_endpoint_and_one_file()
    {
        await SideBySide.AssertSameAsync(new EtcdScript(), "snapshot", "save");
        var (etcdctl, _) = await SideBySide.AssertSameAsync(new EtcdScript(), "--endpoints", "127.0.0.1:1,127.0.0.1:2", "snapshot", "save", "x.db");
        Assert.Equal(5, etcdctl.ExitCode);
    }

    [Fact]
    public void Save_rejects_a_stream_whose_hash_does_not_match_where_etcdctl_accepts_it()
    {
        using var directory = new TempDirectory("cairn-snapshot");
        string path = directory.Combine("snap.db");
        var (_, script) = SnapshotScript(corruptHash: true);
        var result = CliRun.Run(script, "snapshot", "save", path);
        Assert.Equal(5, result.ExitCode);
        Assert.Contains("checksum mismatch", result.Stderr);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".part"));
    }
}
