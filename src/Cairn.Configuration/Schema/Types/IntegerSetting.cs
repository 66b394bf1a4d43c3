using System.Globalization;
using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>An integer within [min, max].</summary>
internal sealed class IntegerSetting(long min, long max) : SettingType<long>
{
    public override string Expected => "an integer";

    public override bool TryParseToml(TomlNode node, out long value, out string problem)
    {
        if (node is TomlValue { Kind: TomlValueKind.Integer } integer)
        {
            value = integer.AsInteger;
            return CheckRange(value, out problem);
        }
        value = 0;
        problem = Mismatch(node);
        return false;
    }

    public override bool TryParseText(string text, out long value, out string problem)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            problem = $"expected an integer, got \"{text}\"";
            return false;
        }
        return CheckRange(value, out problem);
    }

    public override string FormatToml(long value) => value.ToString(CultureInfo.InvariantCulture);

    private bool CheckRange(long value, out string problem)
    {
        problem = value < min || value > max
            ? string.Create(CultureInfo.InvariantCulture, $"{value} is out of range (allowed: {min} to {max})")
            : "";
        return problem.Length == 0;
    }
}
