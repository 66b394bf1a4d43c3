using Cairn.Protocol.Grpc;

namespace Cairn.Protocol.Tests.Framing;

public class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 3600 * 10_000_000L)]
    [InlineData("2M", 120 * 10_000_000L)]
    [InlineData("5S", 5 * 10_000_000L)]
    [InlineData("250m", 250 * 10_000L)]
    [InlineData("1500u", 15_000L)]
    [InlineData("1000n", 10L)]
    [InlineData("99n", 0L)]
    [InlineData("0S", 0L)]
    [InlineData("00000001S", 10_000_000L)]
    [InlineData("99999999H", 99_999_999L * 3600 * 10_000_000L)]
    public void Parses_every_unit(string value, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out TimeSpan timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("5")]
    [InlineData("5s")]
    [InlineData("5x")]
    [InlineData("-5S")]
    [InlineData("5 S")]
    [InlineData("1.5S")]
    [InlineData("123456789S")]
    [InlineData("\u0661S")]
    public void Rejects_what_the_spec_does_not_allow(string value)
    {
        Assert.False(GrpcTimeout.TryParse(value, out _));
    }

    [Theory]
    [InlineData(0L, "0n")]
    [InlineData(-5L, "0n")]
    [InlineData(1L, "100n")]
    [InlineData(10_000_000L, "1000000u")]
    [InlineData(50_000_000L, "5000000u")]
    [InlineData(10_000_000L * 1000, "1000000m")]
    [InlineData(10_000_000L * 100_000_000, "1666667M")]
    public void Formats_in_the_finest_unit_that_fits(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Huge_timeouts_format_in_hours_capped_at_8_digits()
    {
        Assert.Equal("99999999H", GrpcTimeout.Format(TimeSpan.MaxValue));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(12_345L)]
    [InlineData(50_000_000L)]
    [InlineData(10_000_000L * 86_400 * 400)]
    public void Format_never_shortens_the_deadline(long ticks)
    {
        var timeout = TimeSpan.FromTicks(ticks);
        string header = GrpcTimeout.Format(timeout);
        Assert.True(header.Length <= GrpcTimeout.MaxDigits + 1);
        Assert.True(GrpcTimeout.TryParse(header, out TimeSpan parsed));
        Assert.True(parsed >= timeout, $"{header} parsed to {parsed}, shorter than {timeout}");
    }
}
