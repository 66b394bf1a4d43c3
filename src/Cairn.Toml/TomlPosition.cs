namespace Cairn.Toml;

/// <summary>A place in a TOML source: the source name (usually a file path) and a 1-based line and column.</summary>
/// <remarks>Columns count Unicode characters (a surrogate pair is one column), as an editor shows them.</remarks>
/// <param name="SourceName">The file name or other label given to the parser; null when none was given.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
public readonly record struct TomlPosition(string? SourceName, int Line, int Column)
{
    /// <summary>The label used in messages when the parser was given no source name.</summary>
    public const string UnnamedSource = "<toml>";

    /// <summary>Formats as <c>source:line:column</c>.</summary>
    public override string ToString() => $"{SourceName ?? UnnamedSource}:{Line}:{Column}";
}
