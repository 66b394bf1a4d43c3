using System.Buffers;
using System.Text;
using Google.Protobuf;

namespace Cairn.Server.Gateway;

/// <summary>
/// etcd's JSON encoding of protobuf messages (grpc-gateway v1 with <c>OrigName</c>, reference §5.2): proto field
/// names, int64 as strings, bytes as padded standard base64, enums by name, default values left out, no whitespace.
/// Input accepts proto or lowerCamel names, numbers or strings for integers, enum names or numbers, and ignores
/// unknown fields.
/// </summary>
public static class EtcdJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>The message as etcd's gateway writes it, e.g. <c>{"header":{"revision":"9"},"count":"1"}</c>.</summary>
    public static string Format(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Compact(Formatter.Format(message));
    }

    /// <summary>Writes <see cref="Format"/>'s text as UTF-8.</summary>
    public static void WriteUtf8(IBufferWriter<byte> destination, IMessage message)
    {
        string json = Format(message);
        int written = Encoding.UTF8.GetBytes(json, destination.GetSpan(Encoding.UTF8.GetByteCount(json)));
        destination.Advance(written);
    }

    /// <summary>Parses one JSON object into a message.</summary>
    /// <exception cref="InvalidProtocolBufferException">The JSON does not describe a <typeparamref name="T"/> (wrong type, bad base64, unknown enum name).</exception>
    /// <exception cref="InvalidJsonException">The text is not JSON.</exception>
    public static T Parse<T>(string json)
        where T : IMessage, new()
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parser.Parse<T>(json);
    }

    /// <summary>
    /// Removes the whitespace Google.Protobuf puts between tokens, and escapes strings as Go's encoding/json does
    /// (<c>&amp;</c> as <c>\u0026</c>; DEL unescaped), so the bytes match etcd's.
    /// </summary>
    internal static string Compact(string json)
    {
        var compact = new StringBuilder(json.Length);
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (!inString)
            {
                if (c is not (' ' or '\n' or '\r' or '\t'))
                {
                    compact.Append(c);
                    inString = c == '"';
                }

                continue;
            }

            if (c == '\\')
            {
                i = AppendEscape(json, i, compact);
            }
            else
            {
                inString = c != '"';
                compact.Append(c == '&' ? "\\u0026" : c);
            }
        }

        return compact.ToString();
    }

    /// <summary>Copies the escape sequence at <paramref name="start"/> and returns the index of its last character.</summary>
    private static int AppendEscape(string json, int start, StringBuilder compact)
    {
        if (start + 5 < json.Length && json[start + 1] == 'u' && json.AsSpan(start + 2, 4).Equals("007f", StringComparison.OrdinalIgnoreCase))
        {
            compact.Append('\u007f');
            return start + 5;
        }

        compact.Append(json[start]).Append(json[start + 1]);
        return start + 1;
    }
}
