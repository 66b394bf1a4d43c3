namespace Cairn.Configuration.Tests;

/// <summary>Temporary TOML files and the repository's own config files.</summary>
internal static class TestFiles
{
    /// <summary>The repository root (the directory with Appliance.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A path under the repository's configs/ directory.</summary>
    public static string Config(string relativePath) => Path.Combine(RepositoryRoot, "configs", relativePath);

    /// <summary>Writes <paramref name="toml"/> to a new temporary file and returns its path.</summary>
    public static string WriteToml(string toml)
    {
        string directory = Path.Combine(Path.GetTempPath(), "cairn-config-tests");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, toml);
        return path;
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Appliance.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Appliance.sln) above " + AppContext.BaseDirectory);
    }
}
