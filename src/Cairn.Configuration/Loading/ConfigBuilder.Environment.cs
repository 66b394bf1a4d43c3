using Cairn.Configuration.Flags;
using Cairn.Configuration.Schema;

namespace Cairn.Configuration;

/// <summary>
/// The environment source: <c>ETCD_*</c> variables (etcd's names, read like the matching flags), then
/// <c>CAIRN_*</c> variables (one per key). When both set the same key, the <c>CAIRN_*</c> one wins and a warning
/// says so. Unknown variables are warnings, not errors: environments carry unrelated variables with these prefixes.
/// </summary>
internal sealed partial class ConfigBuilder
{
    /// <summary>CAIRN_* variables that are not settings (the config file path, and build/test tooling).</summary>
    private static readonly HashSet<string> NonSettingVariables = new(StringComparer.Ordinal)
    {
        ConfigLoader.ConfigFileVariable, "CAIRN_BIN", "CAIRN_AOT_TFM", "CAIRN_TOML_TEST_DIR",
    };

    private static readonly Dictionary<string, ConfigSetting> SettingsByVariable =
        ConfigSchema.Settings.ToDictionary(s => s.EnvironmentVariable, StringComparer.Ordinal);

    public void ApplyEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var variables = environment.Keys.Order(StringComparer.Ordinal).ToArray();
        var cairnKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string variable in variables.Where(v => v.StartsWith("CAIRN_", StringComparison.Ordinal) && !NonSettingVariables.Contains(v)))
        {
            if (SettingsByVariable.TryGetValue(variable, out ConfigSetting? setting))
            {
                cairnKeys[setting.Key] = variable;
            }
            else
            {
                Warn(ConfigOrigin.Environment(variable), "", "not a Cairn setting; ignored" + ConfigSuggestions.DidYouMeanVariable(variable));
            }
        }
        foreach (string variable in variables.Where(v => v.StartsWith("ETCD_", StringComparison.Ordinal)))
        {
            ApplyEtcdVariable(variable, environment[variable], cairnKeys);
        }
        foreach (var (key, variable) in cairnKeys)
        {
            Assign(key, environment[variable], ConfigOrigin.Environment(variable));
        }
    }

    private void ApplyEtcdVariable(string variable, string value, Dictionary<string, string> cairnKeys)
    {
        var origin = ConfigOrigin.Environment(variable);
        FlagDefinition? flag = FlagCatalog.FindByEtcdVariable(variable);
        if (flag is null)
        {
            Warn(origin, "", "not an etcd 3.4 server setting that Cairn knows; ignored");
            return;
        }
        FlagContext context = Interpret(flag, value, origin);
        foreach (var (key, text) in context.Assignments)
        {
            if (cairnKeys.TryGetValue(key, out string? cairnVariable))
            {
                Warn(origin, key, $"overridden by {cairnVariable}");
                continue;
            }
            Assign(key, text, origin);
        }
    }

    /// <summary>Runs a flag's interpretation and records its warnings and errors under <paramref name="origin"/>.</summary>
    private FlagContext Interpret(FlagDefinition flag, string value, ConfigOrigin origin)
    {
        var context = new FlagContext(origin);
        flag.Apply(value, context);
        foreach (string warning in context.Warnings)
        {
            Warn(origin, "", warning);
        }
        foreach (var (key, message) in context.Errors)
        {
            Error(origin, key, message);
        }
        return context;
    }
}
