using Cairn.Configuration.Schema;
using Cairn.Configuration.Schema.Types;
using Cairn.Toml;

namespace Cairn.Configuration;

/// <summary>The TOML file source: every key must be known, every value of the right type.</summary>
internal sealed partial class ConfigBuilder
{
    public void ApplyFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            string reason = exception is FileNotFoundException or DirectoryNotFoundException ? "no such file" : exception.Message;
            Error(ConfigOrigin.File(path, 0), "", $"cannot read the configuration file: {reason}");
            return;
        }
        ApplyDocument(() => TomlParser.ParseUtf8(bytes, path), path);
    }

    public void ApplyText(string toml, string sourceName) => ApplyDocument(() => TomlParser.Parse(toml, sourceName), sourceName);

    private void ApplyDocument(Func<TomlTable> parse, string path)
    {
        TomlTable document;
        try
        {
            document = parse();
        }
        catch (TomlParseException exception)
        {
            Error(ConfigOrigin.File(path, exception.Line), "", $"{exception.Reason} (column {exception.Column}); the file is not valid TOML");
            return;
        }
        ApplyTable(document, "", path);
    }

    private void ApplyTable(TomlTable table, string prefix, string path)
    {
        foreach (KeyValuePair<string, TomlNode> entry in table)
        {
            string key = prefix.Length == 0 ? entry.Key : $"{prefix}.{entry.Key}";
            var origin = ConfigOrigin.File(path, entry.Value.Line);
            ConfigSetting? setting = entry.Key.Contains('.', StringComparison.Ordinal) ? null : ConfigSchema.Find(key);
            if (setting is not null)
            {
                ApplySetting(setting, entry.Value, origin);
            }
            else if (ConfigSchema.IsSection(key) && entry.Value is TomlTable section)
            {
                ApplyTable(section, key, path);
            }
            else if (ConfigSchema.IsSection(key))
            {
                Error(origin, key, $"expected a table ([{key}]), got {TomlNodeDescription.Of(entry.Value)}");
            }
            else
            {
                string shownKey = prefix.Length == 0 ? TomlFormatting.FormatKey(entry.Key) : $"{prefix}.{TomlFormatting.FormatKey(entry.Key)}";
                Error(origin, shownKey, "unknown key" + ConfigSuggestions.DidYouMean(key));
            }
        }
    }

    private void ApplySetting(ConfigSetting setting, TomlNode node, ConfigOrigin origin)
    {
        if (setting.TryApply(ref config, node, out string problem))
        {
            origins[setting.Key] = origin;
        }
        else
        {
            Error(origin, setting.Key, problem);
        }
    }
}
