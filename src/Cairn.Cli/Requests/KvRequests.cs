using System.Globalization;
using System.Text;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Requests;

/// <summary>The flags of <c>get</c> (also accepted by a <c>get</c> line inside <c>txn</c>).</summary>
public sealed record GetFlags
{
    /// <summary>--prefix</summary>
    public bool Prefix { get; init; }

    /// <summary>--from-key</summary>
    public bool FromKey { get; init; }

    /// <summary>--consistency: "l" (linearizable) or "s" (serializable).</summary>
    public string Consistency { get; init; } = "l";

    /// <summary>--limit</summary>
    public long Limit { get; init; }

    /// <summary>--rev (0 = latest)</summary>
    public long Revision { get; init; }

    /// <summary>--order: ASCEND, DESCEND or empty.</summary>
    public string Order { get; init; } = "";

    /// <summary>--sort-by: CREATE, KEY, MODIFY, VALUE, VERSION or empty.</summary>
    public string SortBy { get; init; } = "";

    /// <summary>--keys-only</summary>
    public bool KeysOnly { get; init; }
}

/// <summary>The flags of <c>put</c>.</summary>
public sealed record PutFlags
{
    /// <summary>--lease, in hex as etcdctl prints lease IDs ("0" = none).</summary>
    public string Lease { get; init; } = "0";

    /// <summary>--prev-kv</summary>
    public bool PrevKv { get; init; }

    /// <summary>--ignore-value</summary>
    public bool IgnoreValue { get; init; }

    /// <summary>--ignore-lease</summary>
    public bool IgnoreLease { get; init; }
}

/// <summary>The flags of <c>del</c>.</summary>
public sealed record DelFlags
{
    /// <summary>--prefix</summary>
    public bool Prefix { get; init; }

    /// <summary>--from-key</summary>
    public bool FromKey { get; init; }

    /// <summary>--prev-kv</summary>
    public bool PrevKv { get; init; }
}

/// <summary>
/// Builds KV requests from a verb's positional arguments and flags exactly as etcdctl 3.4 (clientv3's op options)
/// does, including its argument checks and their messages.
/// </summary>
public static class KvRequests
{
    /// <summary>The request of <c>get KEY [RANGE_END]</c> (arguments beyond the second are ignored, as in etcdctl).</summary>
    public static RangeRequest Get(IReadOnlyList<byte[]> args, GetFlags flags)
    {
        if (args.Count == 0)
        {
            throw CliException.BadArgs("get command needs one argument as key and an optional argument as range_end");
        }
        if (flags.Prefix && flags.FromKey)
        {
            throw CliException.BadArgs("`--prefix` and `--from-key` cannot be set at the same time, choose one");
        }
        var request = new RangeRequest { Limit = flags.Limit };
        request.Serializable = flags.Consistency switch
        {
            "s" => true,
            "l" => false,
            _ => throw CliException.BadFeature($"unknown consistency flag {Output.GoText.Quote(flags.Consistency)}"),
        };
        byte[] key = args[0];
        if (args.Count > 1)
        {
            if (flags.Prefix || flags.FromKey)
            {
                throw CliException.BadArgs("too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
            request.RangeEnd = ByteString.CopyFrom(args[1]);
        }
        if (flags.Revision > 0)
        {
            request.Revision = flags.Revision;
        }
        SetSort(request, flags);
        ApplyPrefixAndFromKey(ref key, out byte[]? end, flags.Prefix, flags.FromKey);
        if (end is not null)
        {
            request.RangeEnd = ByteString.CopyFrom(end);
        }
        request.Key = ByteString.CopyFrom(key);
        request.KeysOnly = flags.KeysOnly;
        return request;
    }

    /// <summary>
    /// The request of <c>put KEY VALUE</c>; <paramref name="value"/> is the second argument or, for the verb, stdin
    /// (null when neither was given).
    /// </summary>
    public static PutRequest Put(IReadOnlyList<byte[]> args, byte[]? value, PutFlags flags)
    {
        const string NeedsArguments = "put command needs 1 argument and input from stdin or 2 arguments";
        if (args.Count == 0)
        {
            throw CliException.BadArgs(NeedsArguments);
        }
        if (flags.IgnoreValue && args.Count > 1)
        {
            throw CliException.BadArgs("put command needs only 1 argument when 'ignore-value' is set");
        }
        if (!flags.IgnoreValue && value is null)
        {
            throw CliException.BadArgs(NeedsArguments);
        }
        var request = new PutRequest
        {
            Key = ByteString.CopyFrom(args[0]),
            Value = flags.IgnoreValue ? ByteString.Empty : ByteString.CopyFrom(value!),
            Lease = LeaseIds.ParseFlag(flags.Lease),
            PrevKv = flags.PrevKv,
            IgnoreValue = flags.IgnoreValue,
            IgnoreLease = flags.IgnoreLease,
        };
        return request;
    }

    /// <summary>The request of <c>del KEY [RANGE_END]</c>.</summary>
    public static DeleteRangeRequest Delete(IReadOnlyList<byte[]> args, DelFlags flags)
    {
        if (args.Count == 0 || args.Count > 2)
        {
            throw CliException.BadArgs("del command needs one argument as key and an optional argument as range_end");
        }
        if (flags.Prefix && flags.FromKey)
        {
            throw CliException.BadArgs("`--prefix` and `--from-key` cannot be set at the same time, choose one");
        }
        var request = new DeleteRangeRequest { PrevKv = flags.PrevKv };
        byte[] key = args[0];
        if (args.Count > 1)
        {
            if (flags.Prefix || flags.FromKey)
            {
                throw CliException.BadArgs("too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
            request.RangeEnd = ByteString.CopyFrom(args[1]);
        }
        ApplyPrefixAndFromKey(ref key, out byte[]? end, flags.Prefix, flags.FromKey);
        if (end is not null)
        {
            request.RangeEnd = ByteString.CopyFrom(end);
        }
        request.Key = ByteString.CopyFrom(key);
        return request;
    }

    /// <summary>UTF-8 bytes of a command-line argument.</summary>
    public static byte[] Bytes(string argument) => Encoding.UTF8.GetBytes(argument);

    // An empty key with --prefix means "every key": clientv3 turns it into key \0 with range end \0.
    private static void ApplyPrefixAndFromKey(ref byte[] key, out byte[]? end, bool prefix, bool fromKey)
    {
        end = null;
        if (prefix)
        {
            if (key.Length == 0)
            {
                key = KeyRanges.Zero;
                end = KeyRanges.Zero;
            }
            else
            {
                end = KeyRanges.PrefixEnd(key);
            }
        }
        if (fromKey)
        {
            if (key.Length == 0)
            {
                key = KeyRanges.Zero;
            }
            end = KeyRanges.Zero;
        }
    }

    private static void SetSort(RangeRequest request, GetFlags flags)
    {
        var order = flags.Order.ToUpperInvariant() switch
        {
            "ASCEND" => RangeRequest.Types.SortOrder.Ascend,
            "DESCEND" => RangeRequest.Types.SortOrder.Descend,
            "" => RangeRequest.Types.SortOrder.None,
            _ => throw CliException.BadFeature($"bad sort order {flags.Order}"),
        };
        var target = flags.SortBy.ToUpperInvariant() switch
        {
            "CREATE" => RangeRequest.Types.SortTarget.Create,
            "KEY" or "" => RangeRequest.Types.SortTarget.Key,
            "MODIFY" => RangeRequest.Types.SortTarget.Mod,
            "VALUE" => RangeRequest.Types.SortTarget.Value,
            "VERSION" => RangeRequest.Types.SortTarget.Version,
            _ => throw CliException.BadFeature($"bad sort target {flags.SortBy}"),
        };
        // clientv3 drops an ascending sort by key: the server returns keys in that order anyway.
        if (target == RangeRequest.Types.SortTarget.Key && order == RangeRequest.Types.SortOrder.Ascend)
        {
            order = RangeRequest.Types.SortOrder.None;
        }
        request.SortOrder = order;
        request.SortTarget = target;
    }
}

/// <summary>Lease IDs as etcdctl takes them on the command line: hexadecimal.</summary>
public static class LeaseIds
{
    /// <summary>Parses the <c>--lease</c> flag of put (hex); a bad value is etcdctl's "bad lease ID" error.</summary>
    public static long ParseFlag(string text)
    {
        if (!TryParseHex(text, out long id))
        {
            throw CliException.BadArgs($"bad lease ID ({ParseError(text)}), expecting ID in Hex");
        }
        return id;
    }

    /// <summary>Parses a lease ID argument (hex) of the lease verbs.</summary>
    public static long ParseArgument(string text)
    {
        if (!TryParseHex(text, out long id))
        {
            throw CliException.BadArgs($"bad lease ID arg ({ParseError(text)}), expecting ID in Hex");
        }
        return id;
    }

    /// <summary>Go's strconv.ParseInt(text, 16, 64): optional sign, hex digits, no 0x prefix, in int64 range.</summary>
    public static bool TryParseHex(string text, out long id)
    {
        id = 0;
        bool negative = text.StartsWith('-');
        string digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        if (digits.Length == 0 || !ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong magnitude))
        {
            return false;
        }
        if (negative ? magnitude > 1UL << 63 : magnitude > long.MaxValue)
        {
            return false;
        }
        id = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    // The wording of Go's strconv errors, which etcdctl includes in its messages.
    private static string ParseError(string text)
    {
        string digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        bool syntaxOk = digits.Length > 0 && digits.All(Uri.IsHexDigit);
        return $"strconv.ParseInt: parsing {Output.GoText.Quote(text)}: {(syntaxOk ? "value out of range" : "invalid syntax")}";
    }
}
