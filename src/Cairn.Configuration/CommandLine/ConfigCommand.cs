using System.CommandLine;

namespace Cairn.Configuration.CommandLine;

/// <summary><c>cairn config init|show|validate</c>: write the default file, print the effective configuration, check a file.</summary>
public static class ConfigCommand
{
    /// <summary>The file <c>config init</c> writes when none is named.</summary>
    public const string DefaultInitPath = "cairn.toml";

    /// <summary>Creates the <c>config</c> verb and its sub-verbs.</summary>
    public static Command Create()
    {
        var command = new Command("config", "Create, show and validate configuration");
        command.Subcommands.Add(CreateInit());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateValidate());
        return command;
    }

    private static Command CreateInit()
    {
        var file = new Argument<string>("FILE") { Description = "Where to write (\"-\" for stdout)", DefaultValueFactory = _ => DefaultInitPath };
        var force = new Option<bool>("--force") { Description = "Overwrite FILE if it exists" };
        var command = new Command("init", "Write the commented default configuration to FILE (default: ./cairn.toml)") { file, force };
        command.SetAction(parseResult =>
        {
            string path = parseResult.GetValue(file)!;
            TextWriter output = parseResult.InvocationConfiguration.Output, error = parseResult.InvocationConfiguration.Error;
            if (path == "-")
            {
                output.Write(DefaultConfigFile.Text);
                return ConfigExitCodes.Success;
            }
            if (File.Exists(path) && !parseResult.GetValue(force))
            {
                error.WriteLine($"cairn config init: {path} already exists; use --force to overwrite it");
                return ConfigExitCodes.Failure;
            }
            try
            {
                File.WriteAllText(path, DefaultConfigFile.Text);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"cairn config init: cannot write {path}: {exception.Message}");
                return ConfigExitCodes.Failure;
            }
            output.WriteLine($"wrote {path}; check it with: cairn config validate {path}");
            return ConfigExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var command = new Command("show",
            "Print the effective configuration as TOML, with where each value came from (default, file:line, env VAR, flag --x). " +
            "Takes the same --config and flags as 'cairn serve'.");
        ConfigCommandLine commandLine = ConfigCommandLine.AddTo(command);
        command.SetAction(parseResult =>
        {
            ConfigLoadResult result = ConfigLoader.Load(commandLine.ReadSources(parseResult, ConfigSources.ProcessEnvironment()));
            TextWriter error = parseResult.InvocationConfiguration.Error;
            WriteDiagnostics(error, result);
            if (!result.Succeeded)
            {
                return ConfigExitCodes.Failure;
            }
            parseResult.InvocationConfiguration.Output.Write(ConfigTomlWriter.Write(result.Config!, result.Origins));
            return ConfigExitCodes.Success;
        });
        return command;
    }

    private static Command CreateValidate()
    {
        var file = new Argument<string>("FILE") { Description = "The TOML configuration file to check" };
        var command = new Command("validate",
            "Check a configuration file (over the built-in defaults; environment and flags are not read). Prints \"ok\" or every error.") { file };
        command.SetAction(parseResult =>
        {
            ConfigLoadResult result = ConfigLoader.LoadFile(parseResult.GetValue(file)!);
            WriteDiagnostics(parseResult.InvocationConfiguration.Error, result);
            if (!result.Succeeded)
            {
                return ConfigExitCodes.Failure;
            }
            parseResult.InvocationConfiguration.Output.WriteLine("ok");
            return ConfigExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes warnings and errors, one per line, to <paramref name="error"/>.</summary>
    public static void WriteDiagnostics(TextWriter error, ConfigLoadResult result)
    {
        foreach (ConfigDiagnostic warning in result.Warnings)
        {
            error.WriteLine($"warning: {warning}");
        }
        foreach (ConfigDiagnostic problem in result.Errors)
        {
            error.WriteLine($"error: {problem}");
        }
        if (!result.Succeeded)
        {
            error.WriteLine($"the configuration is invalid ({result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")})");
        }
    }
}
