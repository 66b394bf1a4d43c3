using System.Globalization;
using System.Text;

namespace Cairn.Server.Gateway;

/// <summary>String quoting as Go's <c>encoding/json</c> does it (HTML-safe), for the bodies etcd's gateway builds itself.</summary>
internal static class GoJson
{
    /// <summary>Appends <paramref name="value"/> as a JSON string literal, quotes included.</summary>
    public static StringBuilder AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"');
    }
}
