using System.Text;
using Cairn.Cli.Output;

namespace Cairn.Cli.Tests.Unit;

public class TextTableTests
{
    [Fact]
    public void Cells_are_right_aligned_and_headers_centered()
    {
        var table = new TextTable("ID", "Name");
        table.AddRow("628170c800dbcee", "lab");
        Assert.Equal(
            "+-----------------+------+\n" +
            "|       ID        | NAME |\n" +
            "+-----------------+------+\n" +
            "| 628170c800dbcee |  lab |\n" +
            "+-----------------+------+\n", Draw(table));
    }

    [Fact]
    public void A_table_without_rows_has_only_the_header() =>
        Assert.Equal("+---+\n| A |\n+---+\n+---+\n", Draw(new TextTable("a")));

    [Fact]
    public void Long_cells_wrap_at_spaces_with_minimal_raggedness() =>
        Assert.Equal(["memberID:13668033151171901709", "alarm:NOSPACE , second error", "here"],
            TextTable.Wrap("memberID:13668033151171901709 alarm:NOSPACE , second error here", 30));

    [Fact]
    public void A_word_longer_than_the_limit_widens_the_line() =>
        Assert.Equal(["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "b"], TextTable.Wrap(new string('a', 40) + " b", 30));

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_a_bug() =>
        Assert.Throws<InvalidOperationException>(() => new TextTable("a", "b").AddRow("only one"));

    [Theory]
    [InlineData("abc", 3)]
    [InlineData("né\u0001", 2)]
    [InlineData("漢字", 4)]
    [InlineData("😀", 2)]
    [InlineData("e\u0301\u200b\u2028", 1)]
    public void Display_width_counts_terminal_columns(string text, int width) => Assert.Equal(width, DisplayWidth.Of(text));

    private static string Draw(TextTable table)
    {
        var stream = new MemoryStream();
        var output = new OutputBuffer(stream);
        table.WriteTo(output);
        output.Flush();
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
