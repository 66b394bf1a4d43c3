using Cairn.Configuration.Schema;

namespace Cairn.Configuration;

/// <summary>
/// Accumulates sources over the defaults: the current configuration, the origin of every key, errors and
/// warnings. Split by source: file, environment, flags (partial files), then <see cref="ConfigValidator"/>.
/// </summary>
internal sealed partial class ConfigBuilder
{
    private readonly Dictionary<string, ConfigOrigin> origins = ConfigSchema.Settings.ToDictionary(s => s.Key, _ => ConfigOrigin.Default, StringComparer.Ordinal);
    private readonly List<ConfigDiagnostic> errors = new();
    private readonly List<ConfigDiagnostic> warnings = new();
    private CairnConfig config = CairnConfig.Default;

    public void Error(ConfigOrigin origin, string key, string message) => errors.Add(new ConfigDiagnostic(origin, key, message));

    public void Warn(ConfigOrigin origin, string key, string message) => warnings.Add(new ConfigDiagnostic(origin, key, message));

    /// <summary>Sets <paramref name="key"/> from text (an environment variable or flag value).</summary>
    public void Assign(string key, string text, ConfigOrigin origin)
    {
        ConfigSetting setting = ConfigSchema.Find(key) ?? throw new InvalidOperationException($"invariant violated: unknown key {key} assigned by {origin}");
        if (!setting.AcceptsText)
        {
            Error(origin, key, "can only be set in the configuration file");
        }
        else if (setting.TryApply(ref config, text, out string problem))
        {
            origins[key] = origin;
        }
        else
        {
            Error(origin, key, problem);
        }
    }

    public ConfigLoadResult Finish(string? configFile)
    {
        if (errors.Count == 0)
        {
            // Cross-field rules only make sense once every single value is valid.
            ConfigValidator.Validate(config, key => origins[key], errors, warnings);
        }
        return new ConfigLoadResult(config, origins, errors, warnings, configFile);
    }
}
