using Cairn.Configuration.Flags;

namespace Cairn.Configuration;

/// <summary>
/// The flag source, highest precedence. A flag repeated keeps its last value (as Go's flags do); two different
/// flags setting the same key (<c>--debug</c> and <c>--log-level</c>, or <c>--set</c> and a named flag) are an error.
/// </summary>
internal sealed partial class ConfigBuilder
{
    public void ApplyFlags(IReadOnlyList<FlagValue> flags)
    {
        var flagOfKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (FlagValue flagValue in flags)
        {
            var origin = ConfigOrigin.Flag(flagValue.Flag);
            FlagDefinition? flag = FlagCatalog.Find(flagValue.Flag);
            if (flag is null)
            {
                Error(origin, "", "unknown flag (run 'cairn serve --help')");
                continue;
            }
            string? value = flagValue.Value ?? (flag.IsBoolean ? "true" : null);
            if (value is null)
            {
                Error(origin, "", $"needs a value ({flag.Name}=VALUE)");
                continue;
            }
            foreach (var (key, text) in Interpret(flag, value, origin).Assignments)
            {
                if (flagOfKey.TryGetValue(key, out string? earlierFlag) && earlierFlag != flag.Name)
                {
                    Error(origin, key, $"also set by {earlierFlag}; give only one of them");
                    continue;
                }
                flagOfKey[key] = flag.Name;
                Assign(key, text, origin);
            }
        }
    }
}
