using Cairn.Storage.Durability;

namespace Cairn.Storage.Tests.Durability;

public class ChecksummedFileTests
{
    private static readonly ulong Kind = ChecksummedFileWriter.ContentKindOf("TESTDATA");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(5000)]
    public void Round_trips_payloads_of_any_length(int payloadBytes)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("data.ckf");
        byte[] payload = RandomBytes(payloadBytes, seed: payloadBytes);
        WriteFile(path, payload, blockBytes: 512, writeChunkBytes: 97);

        Assert.Equal(ChecksummedFileFormat.FileBytes(payloadBytes, 512), new FileInfo(path).Length);
        Assert.False(File.Exists(path + ".tmp"));
        using ChecksummedFileReader reader = ChecksummedFileReader.Open(path, Kind);
        Assert.Equal(payloadBytes, reader.PayloadBytes);
        reader.VerifyPayload();
        using Stream stream = reader.OpenPayloadStream();
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        Assert.Equal(payload, copy.ToArray());
    }

    [Fact]
    public void Random_reads_return_the_payload_bytes()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("data.ckf");
        byte[] payload = RandomBytes(3000, seed: 1);
        WriteFile(path, payload, blockBytes: 512, writeChunkBytes: 3000);
        using ChecksummedFileReader reader = ChecksummedFileReader.Open(path, Kind);
        byte[] slice = new byte[700];
        reader.ReadPayload(400, slice);
        Assert.Equal(payload.AsSpan(400, 700).ToArray(), slice);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadPayload(2500, new byte[501]));
    }

    [Fact]
    public void The_payload_can_be_read_in_place_through_a_mapping()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("data.ckf");
        byte[] payload = RandomBytes(1000, seed: 2);
        WriteFile(path, payload, blockBytes: 512, writeChunkBytes: 1000);
        using ChecksummedFileReader reader = ChecksummedFileReader.Open(path, Kind);
        using MappedFile mapping = reader.MapReadOnly();
        Assert.Equal(payload, mapping.GetReadOnlySpan(ChecksummedFileFormat.PayloadOffset, payload.Length).ToArray());
    }

    [Fact]
    public void Every_flipped_byte_anywhere_in_the_file_is_detected()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("data.ckf");
        WriteFile(path, RandomBytes(1300, seed: 3), blockBytes: 512, writeChunkBytes: 1300);
        byte[] pristine = File.ReadAllBytes(path);
        for (int offset = 0; offset < pristine.Length; offset++)
        {
            byte[] damaged = (byte[])pristine.Clone();
            damaged[offset] ^= 0x10;
            File.WriteAllBytes(path, damaged);
            Assert.True(FailsVerification(path), $"a flipped byte at offset {offset} of {pristine.Length} went unnoticed");
        }
    }

    [Fact]
    public void Truncation_at_any_length_is_detected()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("data.ckf");
        WriteFile(path, RandomBytes(1300, seed: 4), blockBytes: 512, writeChunkBytes: 1300);
        byte[] pristine = File.ReadAllBytes(path);
        for (int length = 0; length < pristine.Length; length += 7)
        {
            File.WriteAllBytes(path, pristine.AsSpan(0, length).ToArray());
            Assert.True(FailsVerification(path), $"a file truncated to {length} bytes was accepted");
        }
    }

    [Fact]
    public void Corruption_error_names_the_file_the_offset_and_what_to_do()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("data.ckf");
        WriteFile(path, RandomBytes(2000, seed: 5), blockBytes: 512, writeChunkBytes: 2000);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[ChecksummedFileFormat.PayloadOffset + 1100] ^= 1;
        File.WriteAllBytes(path, bytes);
        using ChecksummedFileReader reader = ChecksummedFileReader.Open(path, Kind);
        var error = Assert.Throws<StorageCorruptionException>(reader.VerifyPayload);
        Assert.Equal(path, error.FilePath);
        Assert.Equal(ChecksummedFileFormat.PayloadOffset + 1024, error.Offset);
        Assert.Contains("block 2", error.Message);
        Assert.Contains("Restore", error.Message);
    }

    [Fact]
    public void A_file_of_another_kind_is_refused()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("data.ckf");
        WriteFile(path, RandomBytes(10, seed: 6), blockBytes: 512, writeChunkBytes: 10);
        var error = Assert.Throws<StorageCorruptionException>(() => ChecksummedFileReader.Open(path, ChecksummedFileWriter.ContentKindOf("SNAPSHOT")));
        Assert.Contains("content kind", error.Message);
    }

    [Fact]
    public void An_uncommitted_writer_leaves_no_file_and_keeps_the_old_one()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("data.ckf");
        byte[] old = RandomBytes(100, seed: 7);
        WriteFile(path, old, blockBytes: 512, writeChunkBytes: 100);
        using (ChecksummedFileWriter writer = ChecksummedFileWriter.Create(path, Kind, 512))
        {
            writer.Write(RandomBytes(5000, seed: 8));
        }

        Assert.False(File.Exists(path + ".tmp"));
        using ChecksummedFileReader reader = ChecksummedFileReader.Open(path, Kind);
        byte[] read = new byte[100];
        reader.ReadPayload(0, read);
        Assert.Equal(old, read);
    }

    [Fact]
    public void Bad_content_kind_and_block_size_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ChecksummedFileWriter.ContentKindOf("SHORT"));
        Assert.Throws<ArgumentException>(() => ChecksummedFileWriter.ContentKindOf("NOT-ASCIé"));
        using var directory = new TemporaryDirectory();
        Assert.Throws<ArgumentOutOfRangeException>(() => ChecksummedFileWriter.Create(directory.File("x"), Kind, blockBytes: 100));
    }

    private static bool FailsVerification(string path)
    {
        try
        {
            using ChecksummedFileReader reader = ChecksummedFileReader.Open(path, Kind);
            reader.VerifyPayload();
            return false;
        }
        catch (StorageCorruptionException)
        {
            return true;
        }
    }

    private static void WriteFile(string path, byte[] payload, int blockBytes, int writeChunkBytes)
    {
        using ChecksummedFileWriter writer = ChecksummedFileWriter.Create(path, Kind, blockBytes);
        for (int offset = 0; offset < payload.Length; offset += writeChunkBytes)
        {
            writer.Write(payload.AsSpan(offset, Math.Min(writeChunkBytes, payload.Length - offset)));
        }

        Assert.Equal(payload.Length, writer.PayloadBytes);
        writer.Commit();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
