namespace Cairn.Configuration.Tests;

/// <summary>Sizes and durations as configs write them.</summary>
public class UnitsTests
{
    [Theory]
    [InlineData("1048576", 1048576)]
    [InlineData("64MiB", 64L << 20)]
    [InlineData("1.5MiB", 1572864)]
    [InlineData("2 GiB", 2L << 30)]
    [InlineData("2GB", 2_000_000_000)]
    [InlineData("512KiB", 512L << 10)]
    [InlineData("100B", 100)]
    [InlineData("1_000", 1000)]
    public void Sizes_parse(string text, long bytes)
    {
        Assert.True(ConfigSizes.TryParse(text, out long parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2gigs")]
    [InlineData("-5")]
    [InlineData("1.3B")]
    [InlineData("64mib")]
    [InlineData("99999999TiB")]
    public void Bad_sizes_do_not_parse(string text)
    {
        Assert.False(ConfigSizes.TryParse(text, out _));
    }

    [Theory]
    [InlineData(1572864, "1.5 MiB")]
    [InlineData(2147483648, "2 GiB")]
    [InlineData(1000, "1000 bytes")]
    public void Sizes_describe(long bytes, string text)
    {
        Assert.Equal(text, ConfigSizes.Describe(bytes));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("90s", 90_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("1.5s", 1500)]
    public void Durations_parse_and_format(string text, long milliseconds)
    {
        Assert.True(ConfigDurations.TryParse(text, out TimeSpan duration));
        Assert.Equal(milliseconds, (long)duration.TotalMilliseconds);
        Assert.True(ConfigDurations.TryParse(ConfigDurations.Format(duration), out TimeSpan again));
        Assert.Equal(duration, again);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("-1s")]
    [InlineData("m")]
    public void Bad_durations_do_not_parse(string text)
    {
        Assert.False(ConfigDurations.TryParse(text, out _));
    }

    [Fact]
    public void Periodic_retention_reads_bare_numbers_as_hours()
    {
        Assert.True(ConfigDurations.TryParseRetentionPeriod("5", out TimeSpan hours));
        Assert.Equal(TimeSpan.FromHours(5), hours);
        Assert.True(ConfigDurations.TryParseRetentionPeriod("30m", out TimeSpan minutes));
        Assert.Equal(TimeSpan.FromMinutes(30), minutes);
    }
}
