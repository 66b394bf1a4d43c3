using System.Text;
using Cairn.Cli.Output;

namespace Cairn.Cli.Tests.Unit;

public class GoJsonWriterTests
{
    private static string Write(Action<GoJsonWriter> write)
    {
        var stream = new MemoryStream();
        var output = new OutputBuffer(stream);
        write(new GoJsonWriter(output));
        output.Flush();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Nested_objects_and_arrays_get_commas_only_between_items() =>
        Assert.Equal("{\"a\":1,\"b\":[{},{\"c\":true}],\"d\":{\"e\":\"x\"},\"f\":null}", Write(json => json
            .BeginObject().Number("a", 1).BeginArray("b").BeginObject().EndObject().BeginObject().Bool("c", true).EndObject().EndArray()
            .BeginObject("d").String("e", "x").EndObject().Null("f").EndObject()));

    [Fact]
    public void Strings_are_escaped_like_go_encoding_json() =>
        Assert.Equal("\"\\u003ca\\u003e\\u0026\\\"\\\\\\n\\r\\t\\u0008\\u000c\\u0001\u007f\\u2028\\u2029é😀\"",
            Write(json => json.String("<a>&\"\\\n\r\t\b\f\u0001\u007f\u2028\u2029é😀")));

    [Fact]
    public void Bytes_are_padded_standard_base64() =>
        Assert.Equal("\"//48az4A\"", Write(json => json.Bytes(new byte[] { 0xff, 0xfe, 0x3c, 0x6b, 0x3e, 0x00 })));

    [Fact]
    public void Sixty_four_bit_numbers_are_not_quoted() =>
        Assert.Equal("[18446744073709551615,-9223372036854775808]", Write(json => json.BeginArray().Number(ulong.MaxValue).Number(long.MinValue).EndArray()));
}
