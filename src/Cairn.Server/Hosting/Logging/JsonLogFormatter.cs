using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cairn.Server.Hosting.Logging;

/// <summary>
/// JSON lines for journald and log shippers: <c>{"ts":...,"level":"info","logger":...,"msg":...,&lt;fields&gt;,"error":...}</c>.
/// Written with <see cref="Utf8JsonWriter"/> by hand, so it needs no reflection (AOT-safe).
/// </summary>
public sealed class JsonLogFormatter : ILogFormatter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    /// <inheritdoc />
    public void Format(in LogRecord record, IBufferWriter<byte> destination)
    {
        Utf8JsonWriter json = cachedWriter ??= new Utf8JsonWriter(destination, WriterOptions);
        json.Reset(destination);
        json.WriteStartObject();
        json.WriteString("ts", record.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
        json.WriteString("level", record.LevelName);
        json.WriteString("logger", record.Category);
        json.WriteString("msg", record.Message);
        foreach (KeyValuePair<string, object?> field in record.Fields)
        {
            WriteField(json, field.Key, field.Value);
        }
        if (record.Exception is not null)
        {
            json.WriteString("error", record.Exception.Message);
            json.WriteString("exception", record.Exception.ToString());
        }
        json.WriteEndObject();
        json.Flush();
        destination.Write("\n"u8);
    }

    private static void WriteField(Utf8JsonWriter json, string name, object? value)
    {
        // Fields named like the fixed ones would produce duplicate JSON keys; prefix them.
        string key = name is "ts" or "level" or "logger" or "msg" or "error" or "exception" ? "field_" + name : name;
        switch (value)
        {
            case null: json.WriteNull(key); break;
            case bool boolean: json.WriteBoolean(key, boolean); break;
            case int number: json.WriteNumber(key, number); break;
            case long number: json.WriteNumber(key, number); break;
            case uint number: json.WriteNumber(key, number); break;
            case ulong number: json.WriteNumber(key, number); break;
            case double number when double.IsFinite(number): json.WriteNumber(key, number); break;
            case TimeSpan duration: json.WriteNumber(key + "_ms", duration.TotalMilliseconds); break;
            case IFormattable formattable: json.WriteString(key, formattable.ToString(null, CultureInfo.InvariantCulture)); break;
            default: json.WriteString(key, value.ToString()); break;
        }
    }
}
