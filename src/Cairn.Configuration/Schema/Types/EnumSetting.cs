using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>One of a fixed set of lowercase names.</summary>
internal sealed class EnumSetting<TEnum>(params (string Name, TEnum Value)[] choices) : SettingType<TEnum>
    where TEnum : struct, Enum
{
    public override string Expected => "one of " + ChoiceList;

    private string ChoiceList => string.Join(", ", choices.Select(c => $"\"{c.Name}\""));

    public override bool TryParseText(string text, out TEnum value, out string problem)
    {
        foreach (var (name, choice) in choices)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = choice;
                problem = "";
                return true;
            }
        }
        value = default;
        problem = $"unknown value \"{text}\" (expected one of {ChoiceList})";
        return false;
    }

    public override string FormatToml(TEnum value) => TomlFormatting.QuoteString(NameOf(value));

    /// <summary>The configuration name of <paramref name="value"/>.</summary>
    public string NameOf(TEnum value)
    {
        foreach (var (name, choice) in choices)
        {
            if (EqualityComparer<TEnum>.Default.Equals(choice, value))
            {
                return name;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, "no configuration name");
    }
}
