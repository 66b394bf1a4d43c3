namespace Cairn.Cli;

/// <summary>Process exit codes of every cairn command.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed; stderr says why.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong (unknown verb or flag, bad value); stderr says which.</summary>
    public const int Usage = 2;
}
