namespace Cairn.Configuration;

/// <summary>
/// The commented default configuration (<c>configs/cairn.toml</c>), embedded in the binary so that
/// <c>cairn config init</c> writes it. A test keeps its values equal to <see cref="CairnConfig.Default"/>.
/// </summary>
public static class DefaultConfigFile
{
    private const string ResourceName = "Cairn.Configuration.cairn.toml";

    /// <summary>The file's text.</summary>
    public static string Text { get; } = Read();

    private static string Read()
    {
        using Stream stream = typeof(DefaultConfigFile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"invariant violated: embedded resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
