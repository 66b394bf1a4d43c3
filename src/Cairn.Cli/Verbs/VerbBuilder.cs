using System.CommandLine;

namespace Cairn.Cli.Verbs;

/// <summary>Small helpers to declare verbs with etcdctl's option spellings.</summary>
internal static class VerbBuilder
{
    /// <summary>A command with a free-form positional argument list (etcdctl checks argument counts itself).</summary>
    public static (Command Command, Argument<string[]> Arguments) Create(string name, string description, string argumentsHelp)
    {
        var command = new Command(name, description);
        var arguments = new Argument<string[]>(argumentsHelp) { Arity = ArgumentArity.ZeroOrMore };
        command.Arguments.Add(arguments);
        return (command, arguments);
    }

    /// <summary>Adds a boolean flag.</summary>
    public static Option<bool> Flag(Command command, string name, string description, params string[] aliases)
    {
        var option = new Option<bool>(name, aliases) { Description = description };
        command.Options.Add(option);
        return option;
    }

    /// <summary>Adds a string option with a default.</summary>
    public static Option<string> Text(Command command, string name, string defaultValue, string description)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        command.Options.Add(option);
        return option;
    }

    /// <summary>Adds an int64 option with a default.</summary>
    public static Option<long> Number(Command command, string name, long defaultValue, string description)
    {
        var option = new Option<long>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        command.Options.Add(option);
        return option;
    }
}
