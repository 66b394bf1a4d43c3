namespace Cairn.Configuration;

/// <summary>The outcome of loading: the configuration (when valid), where each value came from, errors and warnings.</summary>
public sealed class ConfigLoadResult
{
    internal ConfigLoadResult(CairnConfig config, IReadOnlyDictionary<string, ConfigOrigin> origins,
        IReadOnlyList<ConfigDiagnostic> errors, IReadOnlyList<ConfigDiagnostic> warnings, string? configFile)
    {
        Origins = origins;
        Errors = errors;
        Warnings = warnings;
        ConfigFile = configFile;
        Config = errors.Count == 0 ? config : null;
    }

    /// <summary>The effective configuration; null when there are errors.</summary>
    public CairnConfig? Config { get; }

    /// <summary>True when there are no errors.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Where each key's value came from (every key is present).</summary>
    public IReadOnlyDictionary<string, ConfigOrigin> Origins { get; }

    /// <summary>Problems that stop the server from starting.</summary>
    public IReadOnlyList<ConfigDiagnostic> Errors { get; }

    /// <summary>Things worth knowing that do not stop the server (ignored etcd flags, unknown variables).</summary>
    public IReadOnlyList<ConfigDiagnostic> Warnings { get; }

    /// <summary>The configuration file that was read, if any.</summary>
    public string? ConfigFile { get; }

    /// <summary>The configuration, or an exception listing every error.</summary>
    public CairnConfig GetConfigOrThrow() =>
        Config ?? throw new InvalidOperationException("invalid configuration:" + System.Environment.NewLine +
            string.Join(System.Environment.NewLine, Errors));
}
