namespace Cairn.Toml;

/// <summary>Parses TOML 1.0 documents. Not built yet: see issue 2.</summary>
public static class TomlParser
{
}
