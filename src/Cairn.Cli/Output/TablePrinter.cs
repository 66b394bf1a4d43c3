using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Output;

/// <summary><c>-w table</c>: only member list and the endpoint verbs have a table; everything else is unsupported.</summary>
public sealed class TablePrinter : ResponsePrinter
{
    /// <summary>Creates the printer.</summary>
    public TablePrinter(OutputBuffer output, TextWriter error)
        : base(OutputFormat.Table, output, error)
    {
    }

    /// <inheritdoc />
    public override void MemberList(MemberListResponse response) => Draw(TableRows.MemberHeaders, TableRows.Members(response));

    /// <inheritdoc />
    public override void EndpointHealth(IReadOnlyList<EndpointHealth> health) => Draw(TableRows.HealthHeaders, TableRows.Health(health));

    /// <inheritdoc />
    public override void EndpointStatus(IReadOnlyList<EndpointStatus> statuses) => Draw(TableRows.StatusHeaders, TableRows.Statuses(statuses));

    /// <inheritdoc />
    public override void EndpointHashKV(IReadOnlyList<EndpointHash> hashes) => Draw(TableRows.HashHeaders, TableRows.Hashes(hashes));

    private void Draw(string[] headers, IEnumerable<string[]> rows)
    {
        var table = new TextTable(headers);
        foreach (string[] row in rows)
        {
            table.AddRow(row);
        }
        table.WriteTo(Output);
    }
}
