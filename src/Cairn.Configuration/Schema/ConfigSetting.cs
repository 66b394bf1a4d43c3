using Cairn.Configuration.Schema.Types;
using Cairn.Toml;

namespace Cairn.Configuration.Schema;

/// <summary>
/// One configuration key: its TOML path (e.g. <c>storage.quota_backend_bytes</c>), how its value is parsed, and
/// how it is read from and written into <see cref="CairnConfig"/>. The environment variable name is derived
/// from the key (<c>CAIRN_STORAGE_QUOTA_BACKEND_BYTES</c>).
/// </summary>
internal abstract class ConfigSetting(string key, string? flag)
{
    /// <summary>The dotted TOML key.</summary>
    public string Key { get; } = key;

    /// <summary>The command-line flag that sets this key (etcd's name where etcd has one), or null if only <c>--set</c> does.</summary>
    public string? Flag { get; } = flag;

    /// <summary>The <c>CAIRN_*</c> environment variable for this key.</summary>
    public string EnvironmentVariable { get; } = "CAIRN_" + key.Replace('.', '_').ToUpperInvariant();

    /// <summary>The table part of the key ("" for top-level keys), e.g. <c>client.tls</c>.</summary>
    public string Section => Key.LastIndexOf('.') is int dot and >= 0 ? Key[..dot] : "";

    /// <summary>The last part of the key, e.g. <c>cert_file</c>.</summary>
    public string LocalName => Key[(Key.LastIndexOf('.') + 1)..];

    /// <summary>Whether environment variables and flags can set this key (some structured keys are file-only).</summary>
    public virtual bool AcceptsText => true;

    /// <summary>Parses <paramref name="node"/> and stores it in <paramref name="config"/>; false with a problem on bad input.</summary>
    public abstract bool TryApply(ref CairnConfig config, TomlNode node, out string problem);

    /// <summary>Parses <paramref name="text"/> and stores it in <paramref name="config"/>; false with a problem on bad input.</summary>
    public abstract bool TryApply(ref CairnConfig config, string text, out string problem);

    /// <summary>The value in <paramref name="config"/> as TOML.</summary>
    public abstract string FormatToml(CairnConfig config);

    /// <summary>An optional human note about the value (e.g. "64 MiB").</summary>
    public abstract string? Describe(CairnConfig config);
}

/// <summary>A <see cref="ConfigSetting"/> with a typed value.</summary>
internal sealed class ConfigSetting<T>(
    string key,
    SettingType<T> type,
    Func<CairnConfig, T> get,
    Func<CairnConfig, T, CairnConfig> set,
    string? flag) : ConfigSetting(key, flag)
{
    public override bool AcceptsText => type is not DestinationsSetting;

    public override bool TryApply(ref CairnConfig config, TomlNode node, out string problem)
    {
        if (!type.TryParseToml(node, out T value, out problem))
        {
            return false;
        }
        config = set(config, value);
        return true;
    }

    public override bool TryApply(ref CairnConfig config, string text, out string problem)
    {
        if (!type.TryParseText(text, out T value, out problem))
        {
            return false;
        }
        config = set(config, value);
        return true;
    }

    public override string FormatToml(CairnConfig config) => type.FormatToml(get(config));

    public override string? Describe(CairnConfig config) => type.Describe(get(config));
}
