using System.Globalization;
using System.Text;

namespace Cairn.Toml;

/// <summary>Writes keys and scalars as TOML text (used by messages and by tools that emit TOML).</summary>
public static class TomlFormatting
{
    /// <summary>Writes <paramref name="key"/> bare when TOML allows it, otherwise as a quoted basic string.</summary>
    public static string FormatKey(string key) => key.Length > 0 && IsBareKey(key) ? key : QuoteString(key);

    /// <summary>True when every character of <paramref name="key"/> may appear in a bare key (A-Z a-z 0-9 _ -).</summary>
    public static bool IsBareKey(ReadOnlySpan<char> key)
    {
        foreach (char c in key)
        {
            if (!IsBareKeyChar(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True for the characters of a bare key: ASCII letters, digits, underscore and dash.</summary>
    public static bool IsBareKeyChar(int c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';

    /// <summary>Writes <paramref name="value"/> as a basic string, escaping quotes, backslashes and control characters.</summary>
    public static string QuoteString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\f': text.Append("\\f"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7F)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>Writes a float so that it reads back as the same double and as a float (never as an integer).</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        bool looksLikeInteger = text.AsSpan().IndexOfAny('.', 'E', 'e') < 0;
        return looksLikeInteger ? text + ".0" : text.Replace("E", "e", StringComparison.Ordinal);
    }
}
