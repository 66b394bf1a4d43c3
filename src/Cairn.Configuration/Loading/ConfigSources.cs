namespace Cairn.Configuration;

/// <summary>The inputs of <see cref="ConfigLoader.Load"/>: an optional file, the environment and the flags.</summary>
public sealed record ConfigSources
{
    /// <summary>The TOML file (<c>--config</c>); null means none, unless <c>CAIRN_CONFIG</c> names one.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Environment variables; only <c>CAIRN_*</c> and <c>ETCD_*</c> ones are read.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Command-line flags in the order given.</summary>
    public IReadOnlyList<FlagValue> Flags { get; init; } = [];

    /// <summary>The current process's environment variables.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        return variables;
    }
}

/// <summary>One flag occurrence: its name as defined (e.g. <c>--quota-backend-bytes</c>) and its value, null when none was given.</summary>
/// <param name="Flag">The flag's canonical name with two dashes.</param>
/// <param name="Value">The value, or null for a bare boolean flag such as <c>--client-cert-auth</c>.</param>
public readonly record struct FlagValue(string Flag, string? Value);
