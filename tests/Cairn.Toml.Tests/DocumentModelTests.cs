using System.Text;

namespace Cairn.Toml.Tests;

/// <summary>The document model: node positions, typed access, and the tricky corners of TOML's value rules.</summary>
public class DocumentModelTests
{
    private static TomlTable Parse(string toml) => TomlParser.Parse(toml, "doc.toml");

    private static TomlValue Value(TomlTable table, params string[] path)
    {
        TomlNode node = table;
        foreach (string key in path)
        {
            node = ((TomlTable)node)[key];
        }
        return (TomlValue)node;
    }

    [Fact]
    public void Nodes_know_where_their_key_was_written()
    {
        var document = Parse("# comment\n[server]\n  name = \"a\"\n  limits.max = 5\nlist = [\n  1,\n    2,\n]\n");

        var server = (TomlTable)document["server"];
        Assert.Equal((2, 2), (server.Line, server.Column));
        Assert.Equal((3, 3), (server["name"].Line, server["name"].Column));
        Assert.Equal((4, 10), (Value(server, "limits", "max").Line, Value(server, "limits", "max").Column));
        Assert.Equal((4, 3), (server["limits"].Line, server["limits"].Column));
        var list = (TomlArray)server["list"];
        Assert.Equal((5, 1), (list.Line, list.Column));
        Assert.Equal((6, 3), (list[0].Line, list[0].Column));
        Assert.Equal((7, 5), (list[1].Line, list[1].Column));
        Assert.Equal("doc.toml", list[1].Position.SourceName);
        Assert.Equal("doc.toml:7:5", list[1].Position.ToString());
    }

    [Fact]
    public void An_implicit_table_takes_the_position_of_the_header_that_defines_it()
    {
        var document = Parse("[a.b]\nx = 1\n[a]\ny = 2\n");

        Assert.Equal(3, document["a"].Line);
        Assert.Equal(1, ((TomlTable)document["a"])["b"].Line);
    }

    [Fact]
    public void Keys_keep_document_order()
    {
        var document = Parse("zeta = 1\nalpha = 2\nmid = 3\n");

        Assert.Equal(["zeta", "alpha", "mid"], document.Keys);
        Assert.Equal(["zeta", "alpha", "mid"], document.Select(entry => entry.Key));
    }

    [Fact]
    public void Integers_cover_the_full_64_bit_range_and_reject_overflow()
    {
        var document = Parse("min = -9223372036854775808\nmax = 9223372036854775807\nhex = 0x7FFF_FFFF_FFFF_FFFF\nbin = 0b101\noct = 0o17\n");

        Assert.Equal(long.MinValue, Value(document, "min").AsInteger);
        Assert.Equal(long.MaxValue, Value(document, "max").AsInteger);
        Assert.Equal(long.MaxValue, Value(document, "hex").AsInteger);
        Assert.Equal(5, Value(document, "bin").AsInteger);
        Assert.Equal(15, Value(document, "oct").AsInteger);
        Assert.Throws<TomlParseException>(() => Parse("x = 9223372036854775808\n"));
        Assert.Throws<TomlParseException>(() => Parse("x = -9223372036854775809\n"));
        Assert.Throws<TomlParseException>(() => Parse("x = 0x8000000000000000\n"));
    }

    [Fact]
    public void Floats_include_signed_zero_infinities_and_nan_but_not_overflow()
    {
        var document = Parse("nz = -0.0\npi = 3.141_592\ne = 1e-3\npinf = +inf\nninf = -inf\nn = -nan\n");

        Assert.True(double.IsNegative(Value(document, "nz").AsFloat));
        Assert.Equal(3.141592, Value(document, "pi").AsFloat);
        Assert.Equal(0.001, Value(document, "e").AsFloat);
        Assert.Equal(double.PositiveInfinity, Value(document, "pinf").AsFloat);
        Assert.Equal(double.NegativeInfinity, Value(document, "ninf").AsFloat);
        Assert.True(double.IsNaN(Value(document, "n").AsFloat));
        Assert.Contains("too large", Assert.Throws<TomlParseException>(() => Parse("x = 1e400\n")).Message);
    }

    [Fact]
    public void Date_times_keep_kind_offset_and_nanoseconds()
    {
        var document = Parse("odt = 1979-05-27 07:32:00.123456789123+05:30\nldt = 1979-05-27t07:32:00\nld = 2000-02-29\nlt = 23:59:60.5\n");

        TomlDateTime odt = Value(document, "odt").AsDateTime;
        Assert.Equal(TomlValueKind.OffsetDateTime, odt.Kind);
        Assert.Equal(123456789, odt.Nanosecond);
        Assert.Equal(330, odt.OffsetMinutes);
        Assert.Equal("1979-05-27T07:32:00.123456789+05:30", odt.ToString());
        Assert.Equal(new DateTimeOffset(1979, 5, 27, 2, 2, 0, TimeSpan.Zero).AddTicks(1234567), odt.ToDateTimeOffset());
        Assert.Equal(new DateTime(1979, 5, 27, 7, 32, 0), Value(document, "ldt").AsDateTime.ToDateTime());
        Assert.Equal(new DateOnly(2000, 2, 29), Value(document, "ld").AsDateTime.ToDateOnly());
        TomlDateTime leapSecond = Value(document, "lt").AsDateTime;
        Assert.Equal(60, leapSecond.Second);
        Assert.Throws<InvalidOperationException>(() => leapSecond.ToTimeOnly());
        Assert.Throws<TomlParseException>(() => Parse("d = 1900-02-29\n"));
        Assert.Throws<TomlParseException>(() => Parse("t = 07:32:00Z\n"));
    }

    [Fact]
    public void Typed_access_of_the_wrong_kind_throws_with_the_position()
    {
        var value = Value(Parse("port = \"2379\"\n"), "port");

        var error = Assert.Throws<InvalidOperationException>(() => value.AsInteger);

        Assert.Contains("doc.toml:1:1", error.Message);
        Assert.Contains("expected integer", error.Message);
    }

    [Fact]
    public void Strings_handle_escapes_line_ending_backslashes_and_quotes_near_the_delimiter()
    {
        var document = Parse("a = \"tab\\there \\u00E9 \\U0001F600\"\nb = \"\"\"\n  one \\\n    two\"\"\"\"\"\nc = '''\r\nC:\\path'''\nd = 'it''s'\n"
            .Replace("'it''s'", "\"it's\"", StringComparison.Ordinal));

        Assert.Equal("tab\there é \U0001F600", Value(document, "a").AsString);
        Assert.Equal("  one two\"\"", Value(document, "b").AsString);
        Assert.Equal("C:\\path", Value(document, "c").AsString);
        Assert.Equal("it's", Value(document, "d").AsString);
    }

    [Fact]
    public void Multi_line_strings_normalise_crlf_to_lf()
    {
        var document = Parse("s = \"\"\"\r\nfirst\r\nsecond\"\"\"\r\n");

        Assert.Equal("first\nsecond", Value(document, "s").AsString);
    }

    [Fact]
    public void Dotted_keys_may_extend_implicit_tables_but_never_header_tables()
    {
        var document = Parse("[a.b.c]\nz = 1\n[a]\nb.d = 2\n");
        Assert.Equal(2, Value(document, "a", "b", "d").AsInteger);

        Assert.Throws<TomlParseException>(() => Parse("[a.b]\nz = 1\n[a]\nb.d = 2\n"));
        // Once a dotted key has extended it, a header may no longer define it.
        Assert.Throws<TomlParseException>(() => Parse("[a.b.c]\n[a]\nb.d = 2\n[a.b]\n"));
    }

    [Fact]
    public void Array_of_tables_headers_fill_the_latest_element()
    {
        var document = Parse("[[member]]\nname = \"a\"\n[member.tls]\non = true\n[[member]]\nname = \"b\"\n");

        var members = (TomlArray)document["member"];
        Assert.True(members.IsArrayOfTables);
        Assert.Equal(2, members.Count);
        Assert.True(Value((TomlTable)members[0], "tls", "on").AsBoolean);
        Assert.False(((TomlTable)members[1]).ContainsKey("tls"));
    }

    [Fact]
    public void Inline_tables_are_closed_once_written()
    {
        var document = Parse("point = { x = 1, y.z = 2 }\n");
        Assert.True(((TomlTable)document["point"]).IsInline);

        Assert.Throws<TomlParseException>(() => Parse("point = { x = 1 }\npoint.y = 2\n"));
        Assert.Throws<TomlParseException>(() => Parse("point = { y.z = 1 }\n[point.y]\n"));
    }

    [Fact]
    public void Byte_order_mark_is_skipped_once_in_both_entry_points()
    {
        Assert.Equal(1, Value(TomlParser.Parse("\uFEFFa = 1\n"), "a").AsInteger);
        Assert.Equal(1, Value(TomlParser.ParseUtf8([0xEF, 0xBB, 0xBF, .. "a = 1\n"u8]), "a").AsInteger);
        Assert.Throws<TomlParseException>(() => TomlParser.ParseUtf8([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. "a = 1\n"u8]));
    }

    [Fact]
    public void ParseFile_reads_bytes_strictly_and_positions_carry_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cairn-toml-{Guid.NewGuid():N}.toml");
        try
        {
            File.WriteAllBytes(path, Encoding.UTF8.GetBytes("[x]\nkey = \"value\"\n"));
            var document = TomlParser.ParseFile(path);
            Assert.Equal(path, ((TomlTable)document["x"])["key"].Position.SourceName);

            File.WriteAllBytes(path, [.. "k = \""u8, 0xC3, 0x28, .. "\"\n"u8]);
            var error = Assert.Throws<TomlParseException>(() => TomlParser.ParseFile(path));
            Assert.StartsWith($"{path}:1:6: invalid UTF-8", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Formatting_round_trips_keys_strings_and_floats()
    {
        Assert.Equal("plain_key-1", TomlFormatting.FormatKey("plain_key-1"));
        Assert.Equal("\"with space\"", TomlFormatting.FormatKey("with space"));
        Assert.Equal("\"\"", TomlFormatting.FormatKey(""));
        Assert.Equal("\"a\\\"b\\\\c\\n\\u0001\"", TomlFormatting.QuoteString("a\"b\\c\n\u0001"));
        Assert.Equal("1.0", TomlFormatting.FormatFloat(1));
        Assert.Equal("-inf", TomlFormatting.FormatFloat(double.NegativeInfinity));
        foreach (double sample in new[] { 0.1, 1e300, -2.5e-8, 123456789.0 })
        {
            string toml = "x = " + TomlFormatting.FormatFloat(sample) + "\n";
            Assert.Equal(sample, Value(TomlParser.Parse(toml), "x").AsFloat);
        }
    }
}
