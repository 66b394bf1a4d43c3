using Cairn.Cli.Output;

namespace Cairn.Cli;

/// <summary>
/// The standard streams a verb uses. Production code uses <see cref="System"/>'s process streams; tests pass
/// memory streams and run the whole command tree in-process.
/// </summary>
public sealed class CliConsole
{
    /// <summary>Creates a console over the given streams.</summary>
    public CliConsole(Stream input, Stream output, TextWriter error)
    {
        Input = input;
        Output = new OutputBuffer(output);
        Error = error;
    }

    /// <summary>Standard input as bytes (a value piped into <c>put</c> is stored byte for byte).</summary>
    public Stream Input { get; }

    /// <summary>Standard output.</summary>
    public OutputBuffer Output { get; }

    /// <summary>Standard error (UTF-8 text: errors, endpoint health lines, prompts).</summary>
    public TextWriter Error { get; }

    /// <summary>The process's own stdin, stdout and stderr.</summary>
    public static CliConsole System()
    {
        var error = new StreamWriter(Console.OpenStandardError(), new System.Text.UTF8Encoding(false)) { AutoFlush = true };
        return new CliConsole(Console.OpenStandardInput(), Console.OpenStandardOutput(), error);
    }
}
