using Cairn.Cli.Output;

namespace Cairn.Cli.Tests.Support;

/// <summary>Runs one of cairn's printers on a response and returns what it wrote (stdout bytes, stderr, exit code).</summary>
public static class Render
{
    /// <summary>Prints with <paramref name="print"/> in <paramref name="format"/>; unsupported formats give exit code 4 like the verbs.</summary>
    public static CommandResult With(string format, Action<ResponsePrinter> print, bool hex = false, bool valueOnly = false)
    {
        var stdout = new MemoryStream();
        var output = new OutputBuffer(stdout);
        var stderr = new StringWriter();
        var printer = ResponsePrinter.Create(OutputFormats.Parse(format), hex, output, stderr);
        if (printer is SimplePrinter simple)
        {
            simple.ValueOnly = valueOnly;
        }
        int exitCode = 0;
        try
        {
            print(printer);
        }
        catch (CliException failure)
        {
            stderr.WriteLine($"Error: {failure.Message}");
            exitCode = failure.ExitCode;
        }
        output.Flush();
        return new CommandResult(exitCode, stdout.ToArray(), stderr.ToString());
    }
}
