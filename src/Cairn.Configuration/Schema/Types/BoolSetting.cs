using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>
/// A boolean. TOML needs true or false; text also takes Go's spellings (1, 0, t, f, TRUE, False, ...) because
/// etcd's flags and ETCD_* variables are parsed by Go.
/// </summary>
internal sealed class BoolSetting : SettingType<bool>
{
    public static BoolSetting Instance { get; } = new();

    public override string Expected => "a boolean (true or false)";

    public override bool TryParseToml(TomlNode node, out bool value, out string problem)
    {
        if (node is TomlValue { Kind: TomlValueKind.Boolean } boolean)
        {
            value = boolean.AsBoolean;
            problem = "";
            return true;
        }
        value = false;
        problem = Mismatch(node);
        return false;
    }

    public override bool TryParseText(string text, out bool value, out string problem)
    {
        problem = "";
        switch (text)
        {
            case "1" or "t" or "T" or "true" or "TRUE" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "false" or "FALSE" or "False":
                value = false;
                return true;
            default:
                value = false;
                problem = $"expected true or false, got \"{text}\"";
                return false;
        }
    }

    public override string FormatToml(bool value) => value ? "true" : "false";
}
