using System.Text;

namespace Cairn.Cli.Output;

/// <summary>
/// The ASCII table etcdctl 3.4 prints for <c>-w table</c> (its vendored olekukonko/tablewriter): upper-case
/// centred headers, every cell right-aligned with one space of padding, and cells wider than
/// <see cref="MaxCellWidth"/> columns wrapped at spaces with minimal raggedness.
/// </summary>
public sealed class TextTable
{
    /// <summary>Cells wider than this many columns are wrapped onto several lines.</summary>
    public const int MaxCellWidth = 30;

    // A line that overflows (one word longer than the limit) costs this much more than any ragged line.
    private const int OverflowPenalty = 100_000;

    private readonly string[] headers;
    private readonly int[] widths;
    private readonly List<List<string>[]> rows = new();

    /// <summary>Creates a table with <paramref name="headers"/> (printed upper-case).</summary>
    public TextTable(params string[] headers)
    {
        this.headers = Array.ConvertAll(headers, h => h.ToUpperInvariant());
        widths = new int[headers.Length];
        for (int column = 0; column < headers.Length; column++)
        {
            widths[column] = Math.Min(DisplayWidth.Of(this.headers[column]), MaxCellWidth);
        }
    }

    /// <summary>Adds a row; it must have one cell per header.</summary>
    public void AddRow(params string[] cells)
    {
        Invariant.Check(cells.Length == headers.Length, "a table row needs one cell per header");
        var wrapped = new List<string>[cells.Length];
        for (int column = 0; column < cells.Length; column++)
        {
            // Like tablewriter, the wrap limit is the column width known so far, so rows are measured in order.
            widths[column] = Math.Max(widths[column], Math.Min(DisplayWidth.Of(cells[column]), MaxCellWidth));
            wrapped[column] = Wrap(cells[column], widths[column]);
            foreach (string line in wrapped[column])
            {
                widths[column] = Math.Max(widths[column], DisplayWidth.Of(line));
            }
        }
        rows.Add(wrapped);
    }

    /// <summary>Renders the table, one line per text line, each ending with a line feed.</summary>
    public void WriteTo(OutputBuffer output)
    {
        string border = Border();
        output.Line(border);
        var header = new StringBuilder("|");
        for (int column = 0; column < headers.Length; column++)
        {
            header.Append(' ').Append(Center(headers[column], widths[column])).Append(" |");
        }
        output.Line(header.ToString());
        output.Line(border);
        foreach (var row in rows)
        {
            WriteRow(output, row);
        }
        output.Line(border);
    }

    /// <summary>
    /// Splits <paramref name="text"/> into lines of at most <paramref name="limit"/> columns (more when one word is
    /// longer), minimising the sum of squared leftover space per line, as tablewriter's WrapString does.
    /// </summary>
    public static List<string> Wrap(string text, int limit)
    {
        string[] words = text.Replace('\n', ' ').Split(' ');
        int[] wordWidths = Array.ConvertAll(words, DisplayWidth.Of);
        foreach (int width in wordWidths)
        {
            limit = Math.Max(limit, width);
        }
        int count = words.Length;
        var breakAt = new int[count];
        var cost = new long[count];
        for (int first = count - 1; first >= 0; first--)
        {
            cost[first] = long.MaxValue;
            int restWidth = LineWidth(wordWidths, first, count);
            if (restWidth <= limit)
            {
                cost[first] = 0;
                breakAt[first] = count;
                continue;
            }
            for (int next = first + 1; next < count; next++)
            {
                int lineWidth = LineWidth(wordWidths, first, next);
                long slack = limit - lineWidth;
                long candidate = slack * slack + cost[next] + (lineWidth > limit ? OverflowPenalty : 0);
                if (candidate < cost[first])
                {
                    cost[first] = candidate;
                    breakAt[first] = next;
                }
            }
        }
        var lines = new List<string>();
        for (int start = 0; start < count; start = breakAt[start])
        {
            lines.Add(string.Join(' ', words, start, breakAt[start] - start));
        }
        return lines;
    }

    private static int LineWidth(int[] wordWidths, int first, int end)
    {
        int width = 0;
        for (int index = first; index < end; index++)
        {
            width += wordWidths[index] + (index > first ? 1 : 0);
        }
        return width;
    }

    private void WriteRow(OutputBuffer output, List<string>[] row)
    {
        int height = 0;
        foreach (var cell in row)
        {
            height = Math.Max(height, cell.Count);
        }
        for (int lineIndex = 0; lineIndex < height; lineIndex++)
        {
            var line = new StringBuilder("|");
            for (int column = 0; column < row.Length; column++)
            {
                string text = lineIndex < row[column].Count ? row[column][lineIndex] : "";
                line.Append(' ').Append(PadLeft(text, widths[column])).Append(" |");
            }
            output.Line(line.ToString());
        }
    }

    private string Border()
    {
        var border = new StringBuilder("+");
        foreach (int width in widths)
        {
            border.Append('-', width + 2).Append('+');
        }
        return border.ToString();
    }

    private static string PadLeft(string text, int width) =>
        new string(' ', Math.Max(0, width - DisplayWidth.Of(text))) + text;

    private static string Center(string text, int width)
    {
        int gap = Math.Max(0, width - DisplayWidth.Of(text));
        return new string(' ', gap / 2) + text + new string(' ', gap - gap / 2);
    }
}
