// The toml-test decoder interface: TOML on stdin, tagged JSON on stdout; exit 1 with the error on stderr when the
// input is not valid TOML. Lets any toml-test case set run against Cairn.Toml.
using System.Text.Encodings.Web;
using System.Text.Json;
using Cairn.Toml;
using Cairn.TomlDecoder;

using var input = new MemoryStream();
Console.OpenStandardInput().CopyTo(input);
TomlTable document;
try
{
    document = TomlParser.ParseUtf8(input.GetBuffer().AsSpan(0, (int)input.Length), "stdin");
}
catch (TomlParseException error)
{
    Console.Error.WriteLine(error.Message);
    return 1;
}
using Stream stdout = Console.OpenStandardOutput();
var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
using (var json = new Utf8JsonWriter(stdout, options))
{
    TaggedJsonWriter.Write(json, document);
}
stdout.WriteByte((byte)'\n');
return 0;
