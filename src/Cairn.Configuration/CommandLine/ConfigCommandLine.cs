using System.CommandLine;
using System.CommandLine.Parsing;
using Cairn.Configuration.Flags;

namespace Cairn.Configuration.CommandLine;

/// <summary>
/// Adds the configuration flags to a command (<c>cairn serve</c>, <c>cairn config show</c>) and reads them back
/// as <see cref="ConfigSources"/>. Every flag also has Go's single-dash spelling (<c>-name</c>), and takes its
/// value as <c>--flag=value</c> or <c>--flag value</c>; boolean flags may stand alone. Flags that etcd has but
/// Cairn ignores or rejects are accepted by the parser but hidden from <c>--help</c>.
/// </summary>
public sealed class ConfigCommandLine
{
    private readonly Option<string>[] configOptions;
    private readonly List<(FlagDefinition Flag, Option<string[]> Option)> flagOptions;

    private ConfigCommandLine(Option<string>[] configOptions, List<(FlagDefinition, Option<string[]>)> flagOptions)
    {
        this.configOptions = configOptions;
        this.flagOptions = flagOptions;
    }

    /// <summary>Adds <c>--config</c> and every configuration flag to <paramref name="command"/>.</summary>
    public static ConfigCommandLine AddTo(Command command)
    {
        var configOption = new Option<string>("--config")
        {
            Description = $"TOML configuration file (default: ${ConfigLoader.ConfigFileVariable}, else built-in defaults)",
            HelpName = "FILE",
        };
        var goStyleConfigOption = new Option<string>("-config") { Hidden = true };
        command.Options.Add(configOption);
        command.Options.Add(goStyleConfigOption);
        var flagOptions = new List<(FlagDefinition, Option<string[]>)>();
        foreach (FlagDefinition flag in FlagCatalog.All)
        {
            // Go's single-dash spelling is a separate hidden option: as an alias, help would show it instead of --name.
            foreach (string spelling in new[] { flag.Name, flag.Name[1..] })
            {
                var option = new Option<string[]>(spelling)
                {
                    Description = flag.Help,
                    Hidden = flag.IsHidden || spelling != flag.Name,
                    HelpName = flag.IsBoolean ? "true|false" : "value",
                    Arity = flag.IsBoolean ? ArgumentArity.ZeroOrMore : ArgumentArity.OneOrMore,
                    AllowMultipleArgumentsPerToken = false,
                };
                command.Options.Add(option);
                flagOptions.Add((flag, option));
            }
        }
        return new ConfigCommandLine([configOption, goStyleConfigOption], flagOptions);
    }

    /// <summary>The configuration sources of a parsed command line plus <paramref name="environment"/>.</summary>
    public ConfigSources ReadSources(ParseResult parseResult, IReadOnlyDictionary<string, string> environment)
    {
        var flags = new List<FlagValue>();
        foreach (var (flag, option) in flagOptions)
        {
            OptionResult? result = parseResult.GetResult(option);
            if (result is null || result.Implicit)
            {
                continue;
            }
            if (result.Tokens.Count == 0)
            {
                flags.Add(new FlagValue(flag.Name, null));
            }
            foreach (Token token in result.Tokens)
            {
                flags.Add(new FlagValue(flag.Name, token.Value));
            }
        }
        return new ConfigSources
        {
            ConfigFile = configOptions.Select(parseResult.GetValue).LastOrDefault(path => path is not null),
            Environment = environment,
            Flags = flags,
        };
    }
}
