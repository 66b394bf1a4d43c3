namespace Cairn.Toml;

/// <summary>A TOML document is malformed. The message reads <c>source:line:column: reason</c>.</summary>
public sealed class TomlParseException : Exception
{
    /// <summary>Creates the exception for <paramref name="reason"/> at <paramref name="position"/>.</summary>
    public TomlParseException(TomlPosition position, string reason)
        : base($"{position}: {reason}")
    {
        Position = position;
        Reason = reason;
    }

    /// <summary>Where the problem is.</summary>
    public TomlPosition Position { get; }

    /// <summary>The file name or label given to the parser; null when none was given.</summary>
    public string? SourceName => Position.SourceName;

    /// <summary>The 1-based line of the problem.</summary>
    public int Line => Position.Line;

    /// <summary>The 1-based column of the problem.</summary>
    public int Column => Position.Column;

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}
