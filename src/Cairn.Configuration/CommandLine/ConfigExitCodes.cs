namespace Cairn.Configuration.CommandLine;

/// <summary>
/// The process exit codes of cairn, as <c>Cairn.Cli.ExitCodes</c> defines them (this layer sits below Cairn.Cli
/// and cannot reference it).
/// </summary>
internal static class ConfigExitCodes
{
    public const int Success = 0;

    public const int Failure = 1;
}
