namespace Cairn.Testing;

/// <summary>Runs one cairn command line (the native binary) to completion.</summary>
public static class CairnCli
{
    /// <summary>Runs <c>cairn ARGS...</c> and captures its output.</summary>
    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepositoryPaths.CairnBinary, arguments);

    /// <summary>Runs <c>cairn ARGS...</c> with <paramref name="stdin"/>.</summary>
    public static Task<ProcessResult> RunWithInputAsync(string stdin, params string[] arguments) =>
        ProcessRunner.RunAsync(RepositoryPaths.CairnBinary, arguments, stdin);
}
