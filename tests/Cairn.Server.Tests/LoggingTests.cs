using System.Text;
using System.Text.Json;
using Cairn.Configuration;
using Cairn.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Tests;

/// <summary>JSON lines for journald, text for people, and the configured level.</summary>
public partial class LoggingTests
{
    [LoggerMessage(1, LogLevel.Information, "applied {Entries} entries in {Elapsed}")]
    private static partial void Applied(ILogger logger, int entries, string elapsed);

    private static string[] Lines(MemoryStream output) =>
        Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Json_lines_carry_level_logger_message_and_typed_fields()
    {
        var output = new MemoryStream();
        using (var logs = ServeRunner.CreateLoggerProvider(new LogConfig(), output))
        {
            Applied(logs.CreateLogger("Cairn.Raft"), 42, "1 \"ms\"");
        }

        using JsonDocument line = JsonDocument.Parse(Assert.Single(Lines(output)));
        JsonElement root = line.RootElement;
        Assert.Equal("info", root.GetProperty("level").GetString());
        Assert.Equal("Cairn.Raft", root.GetProperty("logger").GetString());
        Assert.Equal("applied 42 entries in 1 \"ms\"", root.GetProperty("msg").GetString());
        Assert.Equal(42, root.GetProperty("Entries").GetInt32());
        Assert.Equal("1 \"ms\"", root.GetProperty("Elapsed").GetString());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("ts").GetString(), out _));
    }

    [Fact]
    public void Exceptions_are_json_fields_on_the_same_line()
    {
        var output = new MemoryStream();
        using (var logs = ServeRunner.CreateLoggerProvider(new LogConfig(), output))
        {
            logs.CreateLogger("x").LogError(new InvalidOperationException("disk\nfull"), "fsync failed");
        }

        using JsonDocument line = JsonDocument.Parse(Assert.Single(Lines(output)));
        Assert.Equal("error", line.RootElement.GetProperty("level").GetString());
        Assert.Equal("disk\nfull", line.RootElement.GetProperty("error").GetString());
        Assert.Contains("InvalidOperationException", line.RootElement.GetProperty("exception").GetString());
    }

    [Fact]
    public void Text_format_is_one_readable_line()
    {
        var output = new MemoryStream();
        using (var logs = ServeRunner.CreateLoggerProvider(new LogConfig { Format = LogFormat.Text }, output))
        {
            Applied(logs.CreateLogger("Cairn.Raft"), 7, "2ms");
        }

        string line = Assert.Single(Lines(output));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  Cairn\.Raft: applied 7 entries in 2ms$", line);
    }

    [Fact]
    public void Messages_below_the_configured_level_are_dropped()
    {
        var output = new MemoryStream();
        using (var logs = ServeRunner.CreateLoggerProvider(new LogConfig { Level = LogSeverity.Warn }, output))
        {
            ILogger logger = logs.CreateLogger("x");
            logger.LogInformation("hidden");
            logger.LogDebug("hidden too");
            logger.LogWarning("shown");
            Assert.False(logger.IsEnabled(LogLevel.Information));
        }

        Assert.Contains("\"msg\":\"shown\"", Assert.Single(Lines(output)));
    }

    [Fact]
    public void Concurrent_writers_never_interleave_lines()
    {
        var output = new MemoryStream();
        using (var logs = ServeRunner.CreateLoggerProvider(new LogConfig(), output))
        {
            Parallel.For(0, 2000, i => Applied(logs.CreateLogger("c" + (i % 4)), i, new string('x', i % 300)));
        }

        string[] lines = Lines(output);
        Assert.Equal(2000, lines.Length);
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
    }
}
