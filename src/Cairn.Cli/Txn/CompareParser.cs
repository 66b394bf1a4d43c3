using System.Globalization;
using System.Text;
using Cairn.Cli.Output;
using Cairn.Cli.Requests;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Txn;

/// <summary>
/// Parses one txn compare line, <c>TARGET("KEY") OP "VALUE"</c>, with the same rules as etcdctl 3.4 (which
/// scans it with Go's <c>fmt.Sscanf(rest, "%q) %s %q")</c>): targets <c>value|val</c>, <c>version|ver</c>,
/// <c>create|c</c>, <c>mod|m</c>, <c>lease</c>; operators <c>= != &lt; &gt;</c>; key and value in double quotes
/// (Go escapes) or back quotes; at least one space around the operator; anything after the value is ignored.
/// </summary>
/// <remarks>
/// Differences from etcdctl 3.4, all where etcdctl crashes: an unknown operator (e.g. <c>==</c>) is an error
/// instead of a panic, and <c>lease("k") = "ID"</c> works, with the lease ID in hex like <c>put --lease</c>.
/// </remarks>
public static class CompareParser
{
    /// <summary>Parses <paramref name="line"/> (already trimmed); throws <see cref="CliException"/> with exit code 3 when malformed.</summary>
    public static Compare Parse(string line)
    {
        int open = line.IndexOf('(');
        if (open < 0)
        {
            throw CliException.InvalidInput($"malformed comparison: {line}");
        }
        string target = line[..open];
        var scan = Scan(line, open + 1);
        if (scan.Matched != 3)
        {
            throw CliException.InvalidInput(
                $"malformed comparison: {line}; got {target}({Quote(scan.Key)}) {scan.Operator} {Quote(scan.Value)}");
        }
        var compare = new Compare { Key = ByteString.CopyFrom(scan.Key) };
        string value = Encoding.UTF8.GetString(scan.Value);
        switch (target)
        {
            case "ver" or "version":
                compare.Target = Compare.Types.CompareTarget.Version;
                compare.Version = ParseNumber(line, value);
                break;
            case "c" or "create":
                compare.Target = Compare.Types.CompareTarget.Create;
                compare.CreateRevision = ParseNumber(line, value);
                break;
            case "m" or "mod":
                compare.Target = Compare.Types.CompareTarget.Mod;
                compare.ModRevision = ParseNumber(line, value);
                break;
            case "val" or "value":
                compare.Target = Compare.Types.CompareTarget.Value;
                compare.Value = ByteString.CopyFrom(scan.Value);
                break;
            case "lease":
                compare.Target = Compare.Types.CompareTarget.Lease;
                compare.Lease = LeaseIds.TryParseHex(value, out long lease)
                    ? lease
                    : throw CliException.InvalidInput($"invalid txn compare request: {line} (the lease ID must be hex)");
                break;
            default:
                throw CliException.InvalidInput($"malformed comparison: {line} (unknown target {target})");
        }
        // Like etcdctl, the operator is checked after the target and its value.
        compare.Result = ParseOperator(line, scan.Operator);
        return compare;
    }

    private readonly record struct ScanResult(int Matched, byte[] Key, string Operator, byte[] Value);

    // Go's Sscanf("%q) %s %q"): stops at the first mismatch and reports how many values it read.
    private static ScanResult Scan(string line, int position)
    {
        if (!GoQuoted.TryRead(line, ref position, out byte[] key, out _))
        {
            return new ScanResult(0, [], "", []);
        }
        if (position >= line.Length || line[position] != ')')
        {
            return new ScanResult(1, key, "", []);
        }
        position++;
        if (!SkipRequiredSpace(line, ref position))
        {
            return new ScanResult(1, key, "", []);
        }
        int operatorStart = position;
        while (position < line.Length && !GoQuoted.IsSpace(line[position]))
        {
            position++;
        }
        if (position == operatorStart)
        {
            return new ScanResult(1, key, "", []);
        }
        string op = line[operatorStart..position];
        if (!SkipRequiredSpace(line, ref position) || !GoQuoted.TryRead(line, ref position, out byte[] value, out _))
        {
            return new ScanResult(2, key, op, []);
        }
        return new ScanResult(3, key, op, value);
    }

    // A space in a Go scan format matches one or more spaces, or the end of the input.
    private static bool SkipRequiredSpace(string line, ref int position)
    {
        if (position >= line.Length)
        {
            return true;
        }
        if (!GoQuoted.IsSpace(line[position]))
        {
            return false;
        }
        while (position < line.Length && GoQuoted.IsSpace(line[position]))
        {
            position++;
        }
        return true;
    }

    private static Compare.Types.CompareResult ParseOperator(string line, string op) => op switch
    {
        "=" => Compare.Types.CompareResult.Equal,
        "!=" => Compare.Types.CompareResult.NotEqual,
        ">" => Compare.Types.CompareResult.Greater,
        "<" => Compare.Types.CompareResult.Less,
        _ => throw CliException.InvalidInput($"malformed comparison: {line} (unknown operator {op}; use =, !=, < or >)"),
    };

    // Go's strconv.ParseInt(value, 10, 64): optional sign, decimal digits, in int64 range.
    private static long ParseNumber(string line, string value) =>
        value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] is '+' or '-')
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
            ? number
            : throw CliException.InvalidInput($"invalid txn compare request: {line}");

    private static string Quote(byte[] bytes)
    {
        var stream = new MemoryStream();
        var buffer = new OutputBuffer(stream);
        GoText.AppendQuoted(buffer, bytes);
        buffer.Flush();
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
