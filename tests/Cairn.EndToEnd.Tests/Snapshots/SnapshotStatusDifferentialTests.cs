using Cairn.Client;
using Cairn.Testing;
using StockEtcdctl = Cairn.Testing.Etcdctl;

namespace Cairn.EndToEnd.Tests.Snapshots;

/// <summary>
/// <c>cairn snapshot status FILE</c> prints exactly what <c>etcdctl snapshot status FILE</c> prints, in every output
/// format and for every kind of file: a snapshot of real etcd, one of Cairn, and files that are no snapshot.
/// </summary>
public class SnapshotStatusDifferentialTests
{
    private static readonly string[] Formats = ["simple", "json", "fields", "table", "protobuf"];

    [Fact]
    public async Task Status_of_etcd_and_cairn_snapshots_and_of_bad_files_matches_etcdctl()
    {
        using var files = new TempDirectory("cairn-snapshot-status");
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using CairnServer cairn = await CairnServer.StartAsync();
        var paths = new List<string>();
        foreach ((string name, string endpoint) in new[] { ("etcd.db", etcd.Endpoint), ("cairn.db", cairn.Endpoint) })
        {
            using (EtcdClient client = SnapshotWorkload.Connect(endpoint))
            {
                await SnapshotWorkload.ApplyAsync(client);
            }

            string path = files.Combine(name);
            (await StockEtcdctl.RunAsync(endpoint, "snapshot", "save", path)).EnsureSuccess("snapshot save");
            paths.Add(path);
        }

        string small = files.Combine("small.db");
        await File.WriteAllBytesAsync(small, new byte[5000]);
        string noise = files.Combine("noise.db");
        await File.WriteAllBytesAsync(noise, Enumerable.Range(0, 20_000).Select(i => (byte)(i * 7)).ToArray());
        paths.AddRange([small, noise, files.Combine("missing.db")]);

        foreach (string path in paths)
        {
            foreach (string format in Formats)
            {
                ProcessResult expected = await StockEtcdctl.RunAsync("127.0.0.1:1", "snapshot", "status", path, "-w", format);
                ProcessResult actual = await CairnCli.RunAsync("snapshot", "status", path, "-w", format);
                Assert.Equal(expected, actual);
            }
        }

        ProcessResult noFile = await CairnCli.RunAsync("snapshot", "status");
        Assert.Equal(await StockEtcdctl.RunAsync("127.0.0.1:1", "snapshot", "status"), noFile);
    }
}
