namespace Cairn.Configuration;

/// <summary>Where a setting's value came from: the default, a file line, an environment variable or a flag.</summary>
public readonly record struct ConfigOrigin
{
    private ConfigOrigin(ConfigOriginKind kind, string name, int line)
    {
        Kind = kind;
        Name = name;
        Line = line;
    }

    /// <summary>The built-in default.</summary>
    public static ConfigOrigin Default { get; } = new(ConfigOriginKind.Default, "default", 0);

    /// <summary>The kind of source.</summary>
    public ConfigOriginKind Kind { get; }

    /// <summary>The file path, variable name (e.g. <c>CAIRN_LOG_LEVEL</c>) or flag (e.g. <c>--log-level</c>).</summary>
    public string Name { get; }

    /// <summary>The 1-based line in the file; 0 for other sources.</summary>
    public int Line { get; }

    /// <summary>A line of a configuration file.</summary>
    public static ConfigOrigin File(string path, int line) => new(ConfigOriginKind.File, path, line);

    /// <summary>An environment variable.</summary>
    public static ConfigOrigin Environment(string variable) => new(ConfigOriginKind.Environment, variable, 0);

    /// <summary>A command-line flag.</summary>
    public static ConfigOrigin Flag(string flag) => new(ConfigOriginKind.Flag, flag, 0);

    /// <summary>"default", "path:line" (just "path" for the file as a whole), "env NAME" or "flag --name".</summary>
    public override string ToString() => Kind switch
    {
        ConfigOriginKind.File => Line > 0 ? $"{Name}:{Line}" : Name,
        ConfigOriginKind.Environment => $"env {Name}",
        ConfigOriginKind.Flag => $"flag {Name}",
        _ => "default",
    };
}

/// <summary>The kinds of configuration source, lowest precedence first.</summary>
public enum ConfigOriginKind
{
    /// <summary>Built into the binary.</summary>
    Default,

    /// <summary>The TOML file.</summary>
    File,

    /// <summary>A <c>CAIRN_*</c> or <c>ETCD_*</c> environment variable.</summary>
    Environment,

    /// <summary>A command-line flag.</summary>
    Flag,
}
