namespace Cairn.Toml.Parsing;

/// <summary>One part of a (possibly dotted) key, with where it was written.</summary>
internal readonly record struct TomlKeySegment(string Name, TomlPosition Position);
