using System.CommandLine;
using Cairn.Cli.Output;

namespace Cairn.Cli.Settings;

/// <summary>Reads one global setting from the command line if given there, else from its ETCDCTL_* variable.</summary>
internal sealed class SettingSource
{
    private readonly ParseResult parsed;
    private readonly Func<string, string?> environment;

    public SettingSource(ParseResult parsed, Func<string, string?> environment)
    {
        this.parsed = parsed;
        this.environment = environment;
    }

    /// <summary>A string setting, or null when neither the flag nor the variable is set.</summary>
    public string? Text(Option<string> option, string variable) =>
        IsGiven(option) ? parsed.GetValue(option) : NonEmpty(environment(variable));

    /// <summary>A list setting (repeated flags or comma-separated values), or null when not set.</summary>
    public string[]? Strings(Option<string[]> option, string variable)
    {
        IEnumerable<string>? values = IsGiven(option) ? parsed.GetValue(option) : NonEmpty(environment(variable)) is { } text ? [text] : null;
        return values?.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
    }

    /// <summary>A boolean setting; the variable takes Go's bool spellings (true, 1, t, false, 0, f, ...).</summary>
    public bool? Flag(Option<bool> option, string variable)
    {
        if (IsGiven(option))
        {
            return parsed.GetValue(option);
        }
        string? text = NonEmpty(environment(variable));
        return text switch
        {
            null => null,
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw CliException.Usage($"invalid value {GoText.Quote(text)} for {variable}: expected true or false"),
        };
    }

    /// <summary>A Go duration setting ("5s", "1m30s"), or null when not set.</summary>
    public TimeSpan? Duration(Option<string> option, string variable)
    {
        string? text = Text(option, variable);
        if (text is null)
        {
            return null;
        }
        return GoDuration.Parse(text)
            ?? throw CliException.Usage($"invalid argument {GoText.Quote(text)} for \"{option.Name}\" flag: time: invalid duration {GoText.Quote(text)} (use a Go duration such as 5s, 500ms or 1m30s)");
    }

    /// <summary>User and password from --user name[:password], --password and their variables.</summary>
    public (string? User, string? Password) Credentials(Option<string> userOption, Option<string> passwordOption)
    {
        string? user = Text(userOption, "ETCDCTL_USER");
        string? password = Text(passwordOption, "ETCDCTL_PASSWORD");
        if (user is null)
        {
            return (null, null);
        }
        if (password is not null)
        {
            return (user, password);
        }
        int colon = user.IndexOf(':');
        return colon < 0 ? (user, null) : (user[..colon], user[(colon + 1)..]);
    }

    private bool IsGiven(Option option) => parsed.GetResult(option) is { Implicit: false };

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
