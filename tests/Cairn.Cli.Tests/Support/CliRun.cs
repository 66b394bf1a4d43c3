using System.CommandLine;
using System.Text;
using Cairn.Cli.Session;

namespace Cairn.Cli.Tests.Support;

/// <summary>What a command printed (stdout as bytes, stderr as text) and how it exited.</summary>
public sealed record CommandResult(int ExitCode, byte[] Stdout, string Stderr)
{
    /// <summary>stdout decoded as UTF-8 (lossy for binary output).</summary>
    public string Text => Encoding.UTF8.GetString(Stdout);

    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Text}\nstderr:\n{Stderr}";
}

/// <summary>Runs cairn's client verbs in-process, with captured streams and an explicit environment.</summary>
public static class CliRun
{
    /// <summary>Runs <c>cairn ARGS</c> with <paramref name="sessions"/>; <paramref name="stdin"/> is fed to the verb.</summary>
    public static CommandResult Run(IEtcdSessionFactory sessions, string[] args, byte[]? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var console = new CliConsole(new MemoryStream(stdin ?? []), stdout, stderr);
        var root = new RootCommand("cairn (test)");
        foreach (var verb in ClientCommands.Create(console, sessions, name => environment?.GetValueOrDefault(name)))
        {
            root.Subcommands.Add(verb);
        }
        int exitCode = CommandLineRunner.Run(root, args, stderr);
        console.Output.Flush();
        return new CommandResult(exitCode, stdout.ToArray(), stderr.ToString());
    }

    /// <summary>
    /// Starts <c>cairn ARGS</c> in the background; cancelling <paramref name="interrupt"/> acts as Ctrl-C. The console
    /// streams are returned so a test can watch the output while the verb runs.
    /// </summary>
    public static (Task<int> ExitCode, SharedOutput Stdout, StringWriter Stderr) Start(IEtcdSessionFactory sessions, string[] args, CancellationToken interrupt)
    {
        var stdout = new SharedOutput();
        var stderr = new StringWriter();
        var console = new CliConsole(new MemoryStream(), stdout, TextWriter.Synchronized(stderr));
        var root = new RootCommand("cairn (test)");
        foreach (var verb in ClientCommands.Create(console, sessions, _ => null))
        {
            root.Subcommands.Add(verb);
        }
        var run = Task.Run(() => CommandLineRunner.RunAsync(root, args, stderr, interrupt));
        return (run, stdout, stderr);
    }

    /// <summary>Runs cairn against a script (via <see cref="ScriptedSession"/>).</summary>
    public static CommandResult Run(EtcdScript script, params string[] args) => Run(ScriptedSession.For(script), args);

    /// <summary>Runs cairn against a script with stdin.</summary>
    public static CommandResult RunWithInput(EtcdScript script, string stdin, params string[] args) =>
        Run(ScriptedSession.For(script), args, Encoding.UTF8.GetBytes(stdin));
}

/// <summary>A memory stream that can be read (as text) while a running verb writes to it.</summary>
public sealed class SharedOutput : Stream
{
    private readonly MemoryStream bytes = new();

    /// <summary>Everything written so far, as UTF-8 text.</summary>
    public string Text
    {
        get
        {
            lock (bytes)
            {
                return Encoding.UTF8.GetString(bytes.ToArray());
            }
        }
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (bytes)
        {
            bytes.Write(buffer, offset, count);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
}
