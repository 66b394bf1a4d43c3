using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>A string, optionally checked (e.g. non-empty, no commas).</summary>
internal sealed class StringSetting(string expected, Func<string, string?>? validate = null) : SettingType<string>
{
    /// <summary>Any string, including empty.</summary>
    public static StringSetting Any { get; } = new("a string");

    /// <summary>A file path; empty means "not set".</summary>
    public static StringSetting OptionalPath { get; } = new("a file path (a string; empty means not set)");

    /// <summary>A non-empty path.</summary>
    public static StringSetting RequiredPath { get; } = new("a path (a non-empty string)",
        text => text.Trim().Length == 0 ? "must not be empty" : null);

    public override string Expected => expected;

    public override bool TryParseText(string text, out string value, out string problem)
    {
        value = text;
        problem = validate?.Invoke(text) ?? "";
        return problem.Length == 0;
    }

    public override string FormatToml(string value) => TomlFormatting.QuoteString(value);
}
