using Cairn.Configuration.Schema;

namespace Cairn.Configuration;

/// <summary>
/// Builds the effective <see cref="CairnConfig"/> from, in rising precedence: built-in defaults, the TOML file,
/// <c>ETCD_*</c> then <c>CAIRN_*</c> environment variables, and command-line flags. Every bad input becomes a
/// <see cref="ConfigDiagnostic"/> naming its source (file:line, variable or flag) and key; all are collected.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The variable that names the configuration file when no <c>--config</c> flag is given.</summary>
    public const string ConfigFileVariable = "CAIRN_CONFIG";

    /// <summary>Loads from all sources.</summary>
    public static ConfigLoadResult Load(ConfigSources sources)
    {
        var builder = new ConfigBuilder();
        string? configFile = sources.ConfigFile;
        if (configFile is null && sources.Environment.TryGetValue(ConfigFileVariable, out string? fromEnvironment) && fromEnvironment.Length > 0)
        {
            configFile = fromEnvironment;
        }
        if (configFile is not null)
        {
            builder.ApplyFile(configFile);
        }
        builder.ApplyEnvironment(sources.Environment);
        builder.ApplyFlags(sources.Flags);
        return builder.Finish(configFile);
    }

    /// <summary>Loads a file over the defaults, ignoring environment and flags (what <c>config validate</c> checks).</summary>
    public static ConfigLoadResult LoadFile(string path)
    {
        var builder = new ConfigBuilder();
        builder.ApplyFile(path);
        return builder.Finish(path);
    }

    /// <summary>Loads TOML text over the defaults; <paramref name="sourceName"/> labels positions in messages.</summary>
    public static ConfigLoadResult LoadText(string toml, string sourceName)
    {
        var builder = new ConfigBuilder();
        builder.ApplyText(toml, sourceName);
        return builder.Finish(sourceName);
    }

    /// <summary>Every configuration key, in documentation order (e.g. <c>storage.quota_backend_bytes</c>).</summary>
    public static IReadOnlyList<string> Keys { get; } = ConfigSchema.Settings.Select(s => s.Key).ToArray();

    /// <summary>The <c>CAIRN_*</c> environment variable of <paramref name="key"/>.</summary>
    public static string EnvironmentVariableOf(string key) =>
        ConfigSchema.Find(key)?.EnvironmentVariable ?? throw new ArgumentException($"unknown configuration key {key}", nameof(key));

    /// <summary><paramref name="key"/>'s value in <paramref name="config"/>, written as TOML.</summary>
    public static string FormatValue(CairnConfig config, string key) =>
        ConfigSchema.Find(key)?.FormatToml(config) ?? throw new ArgumentException($"unknown configuration key {key}", nameof(key));
}
