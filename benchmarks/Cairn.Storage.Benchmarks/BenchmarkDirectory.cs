namespace Cairn.Storage.Benchmarks;

/// <summary>A scratch directory on the real disk (never tmpfs: the point is to measure fsync).</summary>
internal static class BenchmarkDirectory
{
    internal static string Create(string name)
    {
        string root = Environment.GetEnvironmentVariable("CAIRN_BENCH_DIR") ?? Path.Combine(Path.GetTempPath(), "cairn-bench");
        string path = Path.Combine(root, name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    internal static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
