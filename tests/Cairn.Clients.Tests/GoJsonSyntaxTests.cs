using Cairn.Server.Gateway;

namespace Cairn.Clients.Tests;

/// <summary>Go's encoding/json syntax errors, as the gateway reports them (the curl differential checks more against etcd).</summary>
public class GoJsonSyntaxTests
{
    [Theory]
    [InlineData("{bad", "invalid character 'b' looking for beginning of object key string")]
    [InlineData("{\"a\":1,}", "invalid character '}' looking for beginning of object key string")]
    [InlineData("[1,]", "invalid character ']' looking for beginning of value")]
    [InlineData("{\"a\":01}", "invalid character '1' after object key:value pair")]
    [InlineData("{\"a\":1.}", "invalid character '}' after decimal point in numeric literal")]
    [InlineData("{\"a\":1e}", "invalid character '}' in exponent of numeric literal")]
    [InlineData("{\"a\":\"x\ny\"}", "invalid character '\\n' in string literal")]
    [InlineData("{\"a\":nul}", "invalid character '}' in literal null (expecting 'l')")]
    [InlineData("{\"a\":fals}", "invalid character '}' in literal false (expecting 'e')")]
    [InlineData("{\"a\":'x'}", "invalid character '\\'' looking for beginning of value")]
    [InlineData("{\"a\":\"\\u00zz\"}", "invalid character 'z' in \\u hexadecimal character escape")]
    [InlineData("{\"a\" 1}", "invalid character '1' after object key")]
    [InlineData("[1 2]", "invalid character '2' after array element")]
    [InlineData("{\"a\":\u0001}", "invalid character '\\x01' looking for beginning of value")]
    public void Reports_the_first_syntax_error_in_gos_words(string json, string expected)
    {
        Assert.Equal(expected, GoJsonSyntax.FindError(json));
    }

    [Theory]
    [InlineData("{\"a\":[1,-2.5e+3,{\"b\":null}],\"c\":true,\"d\":\"\\u00e9\\n\"}")]
    [InlineData("  {}  ")]
    [InlineData("{\"a\":[1,")]
    [InlineData("{\"a\":\"unterminated")]
    [InlineData("")]
    public void Valid_or_merely_cut_short_text_has_no_syntax_error(string json)
    {
        Assert.Null(GoJsonSyntax.FindError(json));
    }

    [Fact]
    public void Absurd_nesting_is_refused_instead_of_overflowing_the_stack()
    {
        Assert.Equal("exceeded max depth", GoJsonSyntax.FindError(new string('[', 20_000)));
    }
}
