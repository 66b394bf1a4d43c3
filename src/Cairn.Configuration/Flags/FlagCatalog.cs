using Cairn.Configuration.Schema;

namespace Cairn.Configuration.Flags;

/// <summary>
/// Every flag <c>cairn serve</c> understands: Cairn's own (<c>--set</c>, <c>--log-format</c>, ...) and etcd 3.4's
/// server flags (<see cref="EtcdFlags"/>), each of which Cairn maps, accepts and ignores with a warning, or
/// rejects by name.
/// </summary>
internal static class FlagCatalog
{
    /// <summary>All flags: Cairn's first, then etcd's in etcd's help order.</summary>
    public static IReadOnlyList<FlagDefinition> All { get; } = [.. CairnFlags(), .. EtcdFlags.All];

    private static readonly Dictionary<string, FlagDefinition> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, FlagDefinition> ByEtcdVariable =
        All.Where(f => f.IsEtcdFlag).ToDictionary(f => f.EtcdVariable, StringComparer.Ordinal);

    public static FlagDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    public static FlagDefinition? FindByEtcdVariable(string variable) => ByEtcdVariable.GetValueOrDefault(variable);

    private static IEnumerable<FlagDefinition> CairnFlags()
    {
        yield return new FlagDefinition("--set",
            "Set any configuration key: --set storage.wal_segment_bytes=128MiB (repeatable)", false, false, ApplySet);
        yield return Cairn("--wal-segment-bytes", "storage.wal_segment_bytes", "Size of each WAL segment file (e.g. 64MiB)");
        yield return Cairn("--log-format", "log.format", "Log format: json (default, for journald) or text");
    }

    private static FlagDefinition Cairn(string name, string key, string help) =>
        new(name, help, false, false, (value, context) => context.Assign(key, value));

    private static void ApplySet(string value, FlagContext context)
    {
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            context.Fail($"expected KEY=VALUE (e.g. --set log.level=debug), got \"{value}\"");
            return;
        }
        string key = value[..equals].Trim();
        if (ConfigSchema.Find(key) is null)
        {
            context.Fail("unknown key" + ConfigSuggestions.DidYouMean(key), key);
            return;
        }
        context.Assign(key, value[(equals + 1)..]);
    }
}
