using Cairn.Cli.Requests;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Verbs;

/// <summary>The flags of <c>watch</c> (also accepted on each line of <c>watch -i</c>).</summary>
public sealed record WatchFlags
{
    /// <summary>--rev: revision to start watching from (0 = now).</summary>
    public long Revision { get; init; }

    /// <summary>--prefix</summary>
    public bool Prefix { get; init; }

    /// <summary>--prev-kv</summary>
    public bool PrevKv { get; init; }
}

/// <summary>What to watch and what to run per event, from <c>watch [key] [range_end] [--] [command ...]</c>.</summary>
public sealed record WatchTarget(WatchCreateRequest Request, IReadOnlyList<string> ExecCommand);

/// <summary>
/// Turns watch arguments into a create request, following etcdctl: the key may come from ETCDCTL_WATCH_KEY (and
/// the range end from ETCDCTL_WATCH_RANGE_END), arguments after <c>--</c> are a command to run for each event,
/// and a range end excludes <c>--prefix</c>.
/// </summary>
public static class WatchArguments
{
    /// <summary>Builds the watch target; throws <see cref="CliException"/> (exit 128) for bad arguments.</summary>
    public static WatchTarget Parse(IReadOnlyList<byte[]> before, IReadOnlyList<string> after, bool hasSeparator,
        WatchFlags flags, string? environmentKey, string? environmentRangeEnd)
    {
        if (string.IsNullOrEmpty(environmentKey) && !string.IsNullOrEmpty(environmentRangeEnd))
        {
            throw CliException.BadArgs($"ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END={Output.GoText.Quote(environmentRangeEnd)}");
        }
        if (hasSeparator && after.Count == 0)
        {
            throw CliException.BadArgs("bad number of arguments (found separator --, but no commands)");
        }
        IReadOnlyList<byte[]> watchArguments = before;
        if (!string.IsNullOrEmpty(environmentKey))
        {
            if (before.Count > 0)
            {
                throw CliException.BadArgs("bad number of arguments (found conflicting environment key)");
            }
            watchArguments = string.IsNullOrEmpty(environmentRangeEnd)
                ? [KvRequests.Bytes(environmentKey)]
                : [KvRequests.Bytes(environmentKey), KvRequests.Bytes(environmentRangeEnd)];
        }
        if (watchArguments.Count < 1)
        {
            throw CliException.BadArgs("bad number of arguments");
        }
        return new WatchTarget(CreateRequest(watchArguments, flags), after);
    }

    /// <summary>The create request of clientv3's Watch(key, options): a range end only with exactly two arguments.</summary>
    public static WatchCreateRequest CreateRequest(IReadOnlyList<byte[]> arguments, WatchFlags flags)
    {
        byte[] key = arguments[0];
        byte[]? end = null;
        if (arguments.Count == 2)
        {
            if (flags.Prefix)
            {
                throw CliException.BadArgs("`range_end` and `--prefix` are mutually exclusive");
            }
            end = arguments[1];
        }
        if (flags.Prefix)
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
        var request = new WatchCreateRequest { Key = ByteString.CopyFrom(key), StartRevision = flags.Revision, PrevKv = flags.PrevKv };
        if (end is not null)
        {
            request.RangeEnd = ByteString.CopyFrom(end);
        }
        return request;
    }
}
