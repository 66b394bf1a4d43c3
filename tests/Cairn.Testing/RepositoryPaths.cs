namespace Cairn.Testing;

/// <summary>Well-known paths of the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root (the directory that holds Appliance.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The native-AOT cairn binary under test: $CAIRN_BIN, else out/cairn (built by ./build.sh).</summary>
    public static string CairnBinary
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("CAIRN_BIN");
            string path = string.IsNullOrEmpty(fromEnvironment)
                ? Path.Combine(Root, "out", "cairn")
                : Path.GetFullPath(fromEnvironment);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} does not exist: run ./build.sh first (or set CAIRN_BIN).");
            }
            return path;
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Appliance.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName
            ?? throw new InvalidOperationException($"no Appliance.sln above {AppContext.BaseDirectory}");
    }
}
