using System.Globalization;
using System.Text;
using Cairn.Cli.Requests;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Txn;

/// <summary>
/// Parses one txn operation line: <c>put KEY VALUE [--lease=ID] [--prev-kv] [--ignore-value] [--ignore-lease]</c>,
/// <c>get KEY [RANGE_END] [get flags]</c> or <c>del KEY [RANGE_END] [--prefix] [--from-key] [--prev-kv]</c>, with
/// etcdctl's flag syntax (<c>--flag</c>, <c>--flag=value</c>, <c>--flag value</c>, <c>--</c> ends flags).
/// </summary>
public static class OpParser
{
    private static readonly HashSet<string> PutBools = ["prev-kv", "ignore-value", "ignore-lease"];
    private static readonly HashSet<string> PutValues = ["lease"];
    private static readonly HashSet<string> GetBools = ["from-key", "keys-only", "prefix", "print-value-only"];
    private static readonly HashSet<string> GetValues = ["consistency", "limit", "order", "rev", "sort-by"];
    private static readonly HashSet<string> DelBools = ["from-key", "prefix", "prev-kv"];

    /// <summary>Parses <paramref name="line"/> (already trimmed) into a request operation.</summary>
    public static RequestOp Parse(string line)
    {
        List<byte[]> tokens = LineTokenizer.Split(line);
        if (tokens.Count < 2)
        {
            throw CliException.InvalidInput($"invalid txn compare request: {line}");
        }
        string verb = Encoding.UTF8.GetString(tokens[0]);
        var rest = tokens.GetRange(1, tokens.Count - 1);
        return verb switch
        {
            "put" => ParsePut(line, rest),
            "get" => ParseGet(line, rest),
            "del" => ParseDelete(line, rest),
            _ => throw InvalidRequest(line),
        };
    }

    private static RequestOp ParsePut(string line, List<byte[]> tokens)
    {
        var (args, flags) = SplitFlags(line, tokens, PutBools, PutValues);
        var put = new PutFlags
        {
            Lease = flags.GetValueOrDefault("lease", "0"),
            PrevKv = IsSet(line, flags, "prev-kv"),
            IgnoreValue = IsSet(line, flags, "ignore-value"),
            IgnoreLease = IsSet(line, flags, "ignore-lease"),
        };
        // etcdctl would read a missing value from stdin, which here is the rest of the txn; Cairn asks for it.
        byte[]? value = args.Count > 1 ? args[1] : null;
        return new RequestOp { RequestPut = KvRequests.Put(args, value, put) };
    }

    private static RequestOp ParseGet(string line, List<byte[]> tokens)
    {
        var (args, flags) = SplitFlags(line, tokens, GetBools, GetValues);
        var get = new GetFlags
        {
            Prefix = IsSet(line, flags, "prefix"),
            FromKey = IsSet(line, flags, "from-key"),
            KeysOnly = IsSet(line, flags, "keys-only"),
            Consistency = flags.GetValueOrDefault("consistency", "l"),
            Order = flags.GetValueOrDefault("order", ""),
            SortBy = flags.GetValueOrDefault("sort-by", ""),
            Limit = Number(line, flags, "limit"),
            Revision = Number(line, flags, "rev"),
        };
        return new RequestOp { RequestRange = KvRequests.Get(args, get) };
    }

    private static RequestOp ParseDelete(string line, List<byte[]> tokens)
    {
        var (args, flags) = SplitFlags(line, tokens, DelBools, []);
        var delete = new DelFlags
        {
            Prefix = IsSet(line, flags, "prefix"),
            FromKey = IsSet(line, flags, "from-key"),
            PrevKv = IsSet(line, flags, "prev-kv"),
        };
        return new RequestOp { RequestDeleteRange = KvRequests.Delete(args, delete) };
    }

    // Separates flags from positional arguments the way pflag does: flags may appear anywhere before "--".
    private static (List<byte[]> Args, Dictionary<string, string> Flags) SplitFlags(
        string line, List<byte[]> tokens, HashSet<string> bools, HashSet<string> values)
    {
        var args = new List<byte[]>();
        var flags = new Dictionary<string, string>();
        for (int index = 0; index < tokens.Count; index++)
        {
            string token = Encoding.UTF8.GetString(tokens[index]);
            if (token == "--")
            {
                args.AddRange(tokens.GetRange(index + 1, tokens.Count - index - 1));
                break;
            }
            if (token.Length < 2 || token[0] != '-')
            {
                args.Add(tokens[index]);
                continue;
            }
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                throw InvalidRequest(line);
            }
            int equals = token.IndexOf('=');
            string name = equals < 0 ? token[2..] : token[2..equals];
            if (bools.Contains(name))
            {
                flags[name] = equals < 0 ? "true" : token[(equals + 1)..];
            }
            else if (values.Contains(name))
            {
                if (equals >= 0)
                {
                    flags[name] = token[(equals + 1)..];
                }
                else if (++index < tokens.Count)
                {
                    flags[name] = Encoding.UTF8.GetString(tokens[index]);
                }
                else
                {
                    throw InvalidRequest(line);
                }
            }
            else
            {
                throw InvalidRequest(line);
            }
        }
        return (args, flags);
    }

    private static bool IsSet(string line, Dictionary<string, string> flags, string name)
    {
        if (!flags.TryGetValue(name, out string? text))
        {
            return false;
        }
        return text switch
        {
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw InvalidRequest(line),
        };
    }

    // pflag reads integer flags with strconv.ParseInt(text, 0, 64): decimal, 0x hex, 0o/0 octal, 0b binary.
    private static long Number(string line, Dictionary<string, string> flags, string name)
    {
        if (!flags.TryGetValue(name, out string? text))
        {
            return 0;
        }
        return GoInteger.TryParse(text, out long value) ? value : throw InvalidRequest(line);
    }

    private static CliException InvalidRequest(string line) => CliException.InvalidInput($"invalid txn request: {line}");
}

/// <summary>Go's strconv.ParseInt(text, 0, 64), which pflag uses for integer flags.</summary>
public static class GoInteger
{
    /// <summary>Parses an optionally signed integer with an optional 0x, 0o, 0b or leading-0 (octal) prefix.</summary>
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        bool negative = text.StartsWith('-');
        string digits = negative || text.StartsWith('+') ? text[1..] : text;
        int radix = 10;
        if (digits.Length > 2 && digits[0] == '0' && digits[1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            radix = digits[1] is 'x' or 'X' ? 16 : digits[1] is 'o' or 'O' ? 8 : 2;
            digits = digits[2..];
        }
        else if (digits.Length > 1 && digits[0] == '0')
        {
            radix = 8;
            digits = digits[1..];
        }
        digits = digits.Replace("_", "", StringComparison.Ordinal);
        if (digits.Length == 0)
        {
            return false;
        }
        ulong magnitude = 0;
        foreach (char c in digits)
        {
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
            if (digit >= radix || magnitude > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }
            magnitude = magnitude * (ulong)radix + (ulong)digit;
        }
        if (negative ? magnitude > 1UL << 63 : magnitude > long.MaxValue)
        {
            return false;
        }
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }
}
