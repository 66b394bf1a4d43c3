namespace Cairn.Configuration.Tests;

/// <summary>Shorthands for loading configurations in tests.</summary>
internal static class Load
{
    public static ConfigLoadResult From(string? toml = null, Dictionary<string, string>? environment = null, params (string Flag, string? Value)[] flags) =>
        ConfigLoader.Load(new ConfigSources
        {
            ConfigFile = toml is null ? null : TestFiles.WriteToml(toml),
            Environment = environment ?? new Dictionary<string, string>(),
            Flags = flags.Select(f => new FlagValue(f.Flag, f.Value)).ToArray(),
        });

    public static CairnConfig Valid(string? toml = null, Dictionary<string, string>? environment = null, params (string Flag, string? Value)[] flags)
    {
        ConfigLoadResult result = From(toml, environment, flags);
        Assert.True(result.Succeeded, "expected a valid configuration, got:\n" + string.Join("\n", result.Errors));
        return result.Config!;
    }

    /// <summary>The single error of an invalid configuration, formatted as users see it.</summary>
    public static string SingleError(string? toml = null, Dictionary<string, string>? environment = null, params (string Flag, string? Value)[] flags)
    {
        ConfigLoadResult result = From(toml, environment, flags);
        Assert.False(result.Succeeded, "expected an error");
        return Assert.Single(result.Errors).ToString();
    }
}
