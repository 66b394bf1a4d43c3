namespace Cairn.Cli;

/// <summary>
/// A failure a verb reports the way etcdctl does: <c>Error: &lt;message&gt;</c> on stderr and a specific exit code.
/// Thrown anywhere below a verb's action and turned into output by <see cref="VerbRunner"/>.
/// </summary>
public sealed class CliException : Exception
{
    /// <summary>Creates a failure with <paramref name="exitCode"/> (one of <see cref="ExitCodes"/>).</summary>
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code this failure ends with.</summary>
    public int ExitCode { get; }

    /// <summary>When true the message is printed as is, without etcdctl's "Error: " prefix.</summary>
    public bool Unprefixed { get; init; }

    /// <summary>etcdctl's ExitBadArgs (128): wrong positional arguments.</summary>
    public static CliException BadArgs(string message) => new(ExitCodes.BadArgs, message);

    /// <summary>etcdctl's ExitBadFeature (4): unsupported output format or option.</summary>
    public static CliException BadFeature(string message) => new(ExitCodes.BadFeature, message);

    /// <summary>etcdctl's ExitInvalidInput (3): bad stdin input.</summary>
    public static CliException InvalidInput(string message) => new(ExitCodes.InvalidInput, message);

    /// <summary>etcdctl's ExitError (1): the request failed.</summary>
    public static CliException Failure(string message) => new(ExitCodes.Failure, message);

    /// <summary>Usage error (2): a flag value that cannot be parsed.</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
