using System.Text;

namespace Cairn.Toml.Tests;

/// <summary>Errors name the source, line and column of the problem, and say what is wrong.</summary>
public class ErrorPositionTests
{
    private static TomlParseException Fails(string toml, string? sourceName = "test.toml") =>
        Assert.Throws<TomlParseException>(() => TomlParser.Parse(toml, sourceName));

    [Fact]
    public void Message_reads_source_line_column_reason()
    {
        var error = Fails("a = 1\nb = ?\n");

        Assert.Equal("test.toml", error.SourceName);
        Assert.Equal(2, error.Line);
        Assert.Equal(5, error.Column);
        Assert.StartsWith("test.toml:2:5: expected a value", error.Message);
        Assert.Equal(error.Message, $"test.toml:2:5: {error.Reason}");
    }

    [Fact]
    public void Without_a_source_name_the_message_uses_a_placeholder()
    {
        var error = Fails("= 1", sourceName: null);

        Assert.Null(error.SourceName);
        Assert.StartsWith("<toml>:1:1: expected a key", error.Message);
    }

    [Fact]
    public void Unterminated_string_points_at_its_opening_quote()
    {
        var error = Fails("name = \"abc\nnext = 1\n");

        Assert.Equal((1, 8), (error.Line, error.Column));
        Assert.Contains("not closed", error.Message);
    }

    [Fact]
    public void Unterminated_multi_line_string_points_at_its_opening_even_lines_later()
    {
        var error = Fails("x = 1\ntext = \"\"\"\nline one\nline two\n");

        Assert.Equal((2, 8), (error.Line, error.Column));
        Assert.Contains("multi-line string is not closed", error.Message);
    }

    [Fact]
    public void Error_after_a_multi_line_string_counts_its_lines()
    {
        var error = Fails("text = '''\none\ntwo''' junk\n");

        Assert.Equal((3, 8), (error.Line, error.Column));
    }

    [Fact]
    public void Crlf_line_endings_count_as_one_line_each()
    {
        var error = Fails("a = 1\r\nb = 2\r\nc = !\r\n");

        Assert.Equal((3, 5), (error.Line, error.Column));
    }

    [Fact]
    public void Columns_count_characters_not_utf16_units()
    {
        // U+1F600 is a surrogate pair in UTF-16 but one character on screen.
        var error = Fails("s = \"\U0001F600\" x\n");

        Assert.Equal((1, 9), (error.Line, error.Column));
    }

    [Fact]
    public void Duplicate_key_points_at_the_second_definition_and_names_the_first()
    {
        var error = Fails("[server]\nname = \"a\"\nport = 1\nname = \"b\"\n");

        Assert.Equal((4, 1), (error.Line, error.Column));
        Assert.Contains("duplicate key name", error.Message);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void Redefined_table_points_at_the_key_in_the_header()
    {
        var error = Fails("[a]\nx = 1\n[ a ]\n");

        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Contains("cannot define table [a]", error.Message);
    }

    [Fact]
    public void Invalid_utf8_reports_line_and_column_of_the_bad_byte()
    {
        byte[] bytes = [.. "a = 1\nb = \"é"u8, 0xFF, .. "\"\n"u8];

        var error = Assert.Throws<TomlParseException>(() => TomlParser.ParseUtf8(bytes, "bad.toml"));

        Assert.Equal((2, 7), (error.Line, error.Column));
        Assert.Contains("invalid UTF-8 (byte 0xFF)", error.Message);
    }

    [Fact]
    public void Utf16_file_is_rejected_with_a_hint()
    {
        byte[] bytes = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("a = 1\n")];

        var error = Assert.Throws<TomlParseException>(() => TomlParser.ParseUtf8(bytes, "utf16.toml"));

        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("byte order mark", error.Message);
    }

    [Fact]
    public void Bad_number_points_at_the_number()
    {
        var error = Fails("[storage]\nquota = 1__000\n");

        Assert.Equal(2, error.Line);
        Assert.Contains("'1__000'", error.Message);
        Assert.Contains("underscore", error.Message);
    }

    [Fact]
    public void Bad_date_names_the_field_and_its_range()
    {
        var error = Fails("d = 2023-02-29\n");

        Assert.Contains("the day 29 is out of range (1-28)", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Unquoted_string_value_says_strings_must_be_quoted()
    {
        var error = Fails("level = info\n");

        Assert.Contains("strings must be quoted", error.Message);
        Assert.Equal((1, 9), (error.Line, error.Column));
    }

    [Fact]
    public void Deep_nesting_is_rejected_at_the_limit_not_with_a_stack_overflow()
    {
        string deep = "a = " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var error = Fails(deep);

        Assert.Contains($"deeper than {TomlParser.MaxNestingDepth}", error.Message);
    }
}
