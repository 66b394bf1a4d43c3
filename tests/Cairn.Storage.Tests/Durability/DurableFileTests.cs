using Cairn.Storage.Durability;

namespace Cairn.Storage.Tests.Durability;

public class DurableFileTests
{
    [Fact]
    public void Replace_atomically_creates_then_replaces_and_leaves_no_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("meta");
        DurableFile.ReplaceAtomically(path, "first"u8);
        Assert.Equal("first"u8.ToArray(), File.ReadAllBytes(path));
        DurableFile.ReplaceAtomically(path, stream => stream.Write("second, longer"u8));
        Assert.Equal("second, longer"u8.ToArray(), File.ReadAllBytes(path));
        Assert.False(File.Exists(path + DurableFile.TemporarySuffix));
    }

    [Fact]
    public void A_stale_temporary_file_from_a_crash_does_not_matter()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("meta");
        File.WriteAllBytes(path + DurableFile.TemporarySuffix, new byte[10000]);
        DurableFile.ReplaceAtomically(path, "new"u8);
        Assert.Equal("new"u8.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Syncing_a_missing_directory_is_a_fatal_error_naming_it()
    {
        var error = Assert.Throws<StorageFatalException>(() => DurableFile.SyncDirectory("/nonexistent/cairn-test"));
        Assert.Contains("/nonexistent/cairn-test", error.Message);
        Assert.Contains("errno", error.Message);
    }

    [Fact]
    public void Preallocate_extends_the_file_with_zeros_and_zero_fill_overwrites()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("segment");
        using (var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite))
        {
            DurableFile.Preallocate(handle, 1 << 20, path);
            RandomAccess.Write(handle, new byte[] { 1, 2, 3 }, 1000);
            DurableFile.ZeroFill(handle, 1 << 20);
            DurableFile.SyncData(handle, path);
        }

        byte[] content = File.ReadAllBytes(path);
        Assert.Equal(1 << 20, content.Length);
        Assert.DoesNotContain(content, b => b != 0);
    }

    [Fact]
    public void Delete_durably_removes_the_file_and_ignores_a_missing_one()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("gone");
        File.WriteAllText(path, "x");
        DurableFile.DeleteDurably(path);
        Assert.False(File.Exists(path));
        DurableFile.DeleteDurably(path);
    }

    [Fact]
    public void Mapped_writes_reach_the_file_and_sync_and_drop_work()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("mapped");
        using (var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite))
        {
            DurableFile.Preallocate(handle, 64 * 1024, path);
        }

        using (MappedFile mapping = MappedFile.Open(path, writable: true))
        {
            Assert.Equal(64 * 1024, mapping.LengthBytes);
            mapping.GetSpan(5000, 4).Fill(0xAB);
            mapping.SyncRange(5000, 4);
            mapping.SyncData();
            Assert.Equal(3 * 4096, mapping.DropResidentPages(4096, 3 * 4096));
            Assert.Equal(2 * 4096, mapping.DropResidentPages(4000, 3 * 4096));
            Assert.Equal(0, mapping.DropResidentPages(1, 4096));
            Assert.Equal(0xAB, mapping.GetReadOnlySpan(5003, 1)[0]);
            Assert.Throws<ArgumentOutOfRangeException>(() => mapping.GetSpan(64 * 1024 - 2, 4));
        }

        byte[] content = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0, 0xAB, 0xAB, 0xAB, 0xAB, 0 }, content.AsSpan(4999, 6).ToArray());
    }

    [Fact]
    public void A_read_only_mapping_refuses_writable_spans()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("ro");
        File.WriteAllBytes(path, new byte[4096]);
        using MappedFile mapping = MappedFile.Open(path, writable: false);
        Assert.Throws<InvariantViolationException>(() => mapping.GetSpan(0, 1));
        Assert.Equal(0, mapping.GetReadOnlySpan(0, 1)[0]);
    }
}
