using System.Text;
using Cairn.Cli.Output;

namespace Cairn.Cli.Tests.Unit;

public class GoTextTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("quote\"back\\slash", "\"quote\\\"back\\\\slash\"")]
    [InlineData("\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\"")]
    [InlineData("\u0001\u007f", "\"\\x01\\x7f\"")]
    [InlineData("é😀\u0301", "\"é😀\u0301\"")]
    [InlineData("\u00a0\u200b\u2028", "\"\\u00a0\\u200b\\u2028\"")]
    [InlineData("\U000F0000", "\"\\U000f0000\"")]
    public void Quote_matches_go_strconv_quote(string text, string expected) => Assert.Equal(expected, GoText.Quote(text));

    [Fact]
    public void Quote_escapes_each_byte_of_invalid_utf8()
    {
        var stream = new MemoryStream();
        var output = new OutputBuffer(stream);
        GoText.AppendQuoted(output, new byte[] { 0xff, (byte)'a', 0xed, 0xa0, 0x80, 0xc3 });
        output.Flush();
        Assert.Equal("\"\\xffa\\xed\\xa0\\x80\\xc3\"", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Theory]
    [InlineData(0x3ceea20151e43110L, "3ceea20151e43110")]
    [InlineData(0x1234L, "0000000000001234")]
    [InlineData(-5L, "-000000000000005")]
    [InlineData(long.MinValue, "-8000000000000000")]
    public void Lease_ids_are_sixteen_hex_digits(long id, string expected) => Assert.Equal(expected, GoText.LeaseHex(id));

    [Fact]
    public void Member_ids_in_messages_are_space_padded() => Assert.Equal("             abc", GoText.SpacePaddedHex(0xabc));

    [Theory]
    [InlineData(0UL, "0 B")]
    [InlineData(9UL, "9 B")]
    [InlineData(10UL, "10 B")]
    [InlineData(1000UL, "1.0 kB")]
    [InlineData(24576UL, "25 kB")]
    [InlineData(3272704UL, "3.3 MB")]
    [InlineData(ulong.MaxValue, "18 EB")]
    public void Sizes_are_humanized_in_si_units(ulong bytes, string expected) => Assert.Equal(expected, Humanize.Bytes(bytes));

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(999L, "999ns")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(1_546_761L, "1.546761ms")]
    [InlineData(2_000_000_000L, "2s")]
    [InlineData(90_500_000_000L, "1m30.5s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(-1_500_000L, "-1.5ms")]
    public void Durations_print_like_go(long nanoseconds, string expected) => Assert.Equal(expected, GoDuration.Format(nanoseconds));

    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0", 0)]
    [InlineData("2h", 7_200_000)]
    public void Durations_parse_like_go(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GoDuration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("5 s")]
    [InlineData("5x")]
    [InlineData("five seconds")]
    public void Bad_durations_are_rejected(string text) => Assert.Null(GoDuration.Parse(text));
}
