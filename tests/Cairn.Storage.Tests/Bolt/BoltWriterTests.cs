using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Storage.Bolt;

namespace Cairn.Storage.Tests.Bolt;

public class BoltWriterTests
{
    [Fact]
    public void Buckets_of_every_shape_read_back_with_every_page_accounted_for()
    {
        var random = new Random(11);
        var expected = new SortedDictionary<string, List<(byte[] Key, byte[] Value)>>(StringComparer.Ordinal)
        {
            ["empty"] = [],
            ["inline"] = [(Bytes("a"), Bytes("1")), (Bytes("b"), [])],
            // 6,000 pairs need more than one branch page, so the tree has two branch levels.
            ["many"] = Pairs(random, 6_000, maxValue: 120),
            // Values from a few bytes to 100 KB: pages that span several pages (overflow) among ordinary ones.
            ["overflow"] = [(Bytes("a"), new byte[10]), (Bytes("b"), RandomBytes(random, 10_000)),
                (Bytes("c"), RandomBytes(random, 100_000)), (Bytes("d"), new byte[3]), (Bytes("e"), RandomBytes(random, 4_081))],
            ["wide"] = Enumerable.Range(0, 40).Select(i => (RandomBytes(random, 3_000).Prepend((byte)i).ToArray(), Bytes("v"))).ToList(),
        };

        byte[] file = Write(expected);

        var actual = BoltFileReader.Read(file);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach ((string name, List<(byte[] Key, byte[] Value)> pairs) in expected)
        {
            Assert.Equal(pairs.Select(p => Convert.ToHexString(p.Key) + "=" + Convert.ToHexString(p.Value)),
                actual[name].Select(p => Convert.ToHexString(p.Key) + "=" + Convert.ToHexString(p.Value)));
        }
    }

    [Fact]
    public async Task Etcdctl_snapshot_status_accepts_the_file_after_bbolts_consistency_check()
    {
        var random = new Random(5);
        var revisions = new List<(byte[] Key, byte[] Value)>();
        for (long revision = 2; revision <= 3_001; revision++)
        {
            byte[] key = new byte[17];
            BinaryPrimitives.WriteInt64BigEndian(key, revision);
            key[8] = (byte)'_';
            revisions.Add((key, RandomBytes(random, revision % 500 == 0 ? 20_000 : 90)));
        }

        byte[] file = Write(new SortedDictionary<string, List<(byte[] Key, byte[] Value)>>(StringComparer.Ordinal)
        {
            ["key"] = revisions,
            ["meta"] = [(Bytes("consistent_index"), new byte[8])],
        });
        using var directory = new TemporaryDirectory();
        string path = directory.File("db");
        await File.WriteAllBytesAsync(path, file);

        var startInfo = new ProcessStartInfo("/usr/bin/etcdctl", ["snapshot", "status", path, "-w", "json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ETCDCTL_API"] = "3" },
        };
        using Process etcdctl = Process.Start(startInfo)!;
        Task<string> stderr = etcdctl.StandardError.ReadToEndAsync();
        string stdout = await etcdctl.StandardOutput.ReadToEndAsync();
        await etcdctl.WaitForExitAsync();
        Assert.True(etcdctl.ExitCode == 0, await stderr);
        JsonNode status = JsonNode.Parse(stdout)!;
        Assert.Equal(3_001, (long)status["revision"]!);
        Assert.Equal(3_001, (long)status["totalKey"]!);
        Assert.Equal(file.Length, (long)status["totalSize"]!);
    }

    [Fact]
    public void The_reader_reads_back_what_the_writer_wrote_and_reports_a_page_nothing_reaches()
    {
        var random = new Random(3);
        var buckets = new SortedDictionary<string, List<(byte[] Key, byte[] Value)>>(StringComparer.Ordinal)
        {
            ["a"] = [(Bytes("k"), Bytes("v"))],
            ["b"] = Pairs(random, 3_000, maxValue: 300),
            ["c"] = [(Bytes("big"), RandomBytes(random, 50_000))],
        };
        byte[] file = Write(buckets);
        using var directory = new TemporaryDirectory();
        string path = directory.File("db");
        File.WriteAllBytes(path, file);

        using (BoltReader reader = BoltReader.Open(path))
        {
            var read = reader.Buckets().Select(b => (Encoding.ASCII.GetString(b.Name), b.Pairs.Select(p => Convert.ToHexString(p.Key) + "=" + Convert.ToHexString(p.Value)).ToList())).ToList();
            Assert.Equal(buckets.Select(b => (b.Key, b.Value.Select(p => Convert.ToHexString(p.Key) + "=" + Convert.ToHexString(p.Value)).ToList())), read);
            Assert.Empty(reader.Problems());
            Assert.Equal((ulong)file.Length / 4096, reader.HighWater);
        }

        // One more page in the file and in both metas' high-water mark, but in no tree and not in the freelist.
        byte[] grown = [.. file, .. new byte[4096]];
        foreach (int meta in new[] { 16, 4096 + 16 })
        {
            BinaryPrimitives.WriteUInt64LittleEndian(grown.AsSpan(meta + 40), (ulong)grown.Length / 4096);
            BinaryPrimitives.WriteUInt64LittleEndian(grown.AsSpan(meta + 56), Fnv1a64.Hash(grown.AsSpan(meta, 56)));
        }

        File.WriteAllBytes(path, grown);
        using (BoltReader reader = BoltReader.Open(path))
        {
            foreach (var bucket in reader.Buckets())
            {
                _ = bucket.Pairs.Count();
            }

            Assert.Equal([$"page {file.Length / 4096}: unreachable unfreed"], reader.Problems());
        }

        File.WriteAllBytes(path, grown[..8000]);
        Assert.Equal("file size too small", Assert.Throws<InvalidDataException>(() => BoltReader.Open(path)).Message);
        grown[16] ^= 1;
        grown[4096 + 16] ^= 1;
        File.WriteAllBytes(path, grown);
        Assert.Equal("invalid database", Assert.Throws<InvalidDataException>(() => BoltReader.Open(path)).Message);
    }

    [Fact]
    public void Keys_and_bucket_names_out_of_order_are_refused()
    {
        using var stream = new MemoryStream();
        var writer = new BoltWriter(stream);
        writer.BeginBucket(Bytes("b"));
        writer.Put(Bytes("k2"), []);
        Assert.Throws<InvalidOperationException>(() => writer.Put(Bytes("k1"), []));
        Assert.Throws<InvalidOperationException>(() => writer.Put(Bytes("k2"), []));
        Assert.Throws<InvalidOperationException>(() => writer.Put([], []));
        writer.EndBucket();
        Assert.Throws<InvalidOperationException>(() => writer.BeginBucket(Bytes("a")));
        Assert.Throws<InvalidOperationException>(() => writer.Put(Bytes("k3"), []));
        writer.Complete();
        Assert.Throws<InvalidOperationException>(() => writer.Complete());
    }

    private static byte[] Write(SortedDictionary<string, List<(byte[] Key, byte[] Value)>> buckets)
    {
        using var stream = new MemoryStream();
        var writer = new BoltWriter(stream);
        foreach ((string name, List<(byte[] Key, byte[] Value)> pairs) in buckets)
        {
            writer.BeginBucket(Bytes(name));
            foreach ((byte[] key, byte[] value) in pairs)
            {
                writer.Put(key, value);
            }

            writer.EndBucket();
        }

        long length = writer.Complete();
        Assert.Equal(stream.Length, length);
        return stream.ToArray();
    }

    private static List<(byte[] Key, byte[] Value)> Pairs(Random random, int count, int maxValue)
    {
        var keys = new SortedSet<byte[]>(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
        while (keys.Count < count)
        {
            keys.Add(RandomBytes(random, random.Next(1, 40)));
        }

        return keys.Select(key => (key, RandomBytes(random, random.Next(0, maxValue)))).ToList();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);
}
