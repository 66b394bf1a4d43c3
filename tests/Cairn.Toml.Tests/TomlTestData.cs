namespace Cairn.Toml.Tests;

/// <summary>Finds the toml-test conformance data (shared, outside the repository) and lists its cases.</summary>
internal static class TomlTestData
{
    /// <summary>
    /// The data directory: $CAIRN_TOML_TEST_DIR (which must then hold the cases), else ../shared/toml-test beside
    /// the repository, else /work/shared/toml-test. Throws, failing the tests, with the places it looked.
    /// </summary>
    public static string Directory { get; } = Locate();

    public static IReadOnlyList<string> ValidCases() => List("valid");

    public static IReadOnlyList<string> InvalidCases() => List("invalid");

    /// <summary>The path relative to the data directory, for messages.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Directory, path);

    private static List<string> List(string kind)
    {
        var files = new List<string>(System.IO.Directory.EnumerateFiles(Path.Combine(Directory, kind), "*.toml", SearchOption.AllDirectories));
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static string Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("CAIRN_TOML_TEST_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            // An explicit choice must not silently fall back to other data.
            string chosen = Path.GetFullPath(fromEnvironment);
            return HasCases(chosen)
                ? chosen
                : throw new InvalidOperationException($"CAIRN_TOML_TEST_DIR={fromEnvironment}: {chosen} has no valid/ and invalid/ directories of toml-test cases.");
        }
        var candidates = new List<string>();
        string? repositoryRoot = FindRepositoryRoot();
        if (repositoryRoot is not null)
        {
            candidates.Add(Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "toml-test")));
        }
        candidates.Add("/work/shared/toml-test");
        foreach (string candidate in candidates)
        {
            if (HasCases(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "toml-test data not found; looked in: " + string.Join(", ", candidates) +
            ". Set CAIRN_TOML_TEST_DIR to a directory with valid/ and invalid/ (from github.com/toml-lang/toml-test).");
    }

    private static bool HasCases(string directory) =>
        System.IO.Directory.Exists(Path.Combine(directory, "valid")) && System.IO.Directory.Exists(Path.Combine(directory, "invalid"));

    private static string? FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Appliance.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName;
    }
}
