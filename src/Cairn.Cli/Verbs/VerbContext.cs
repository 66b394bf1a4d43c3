using System.CommandLine;
using Cairn.Cli.Output;
using Cairn.Cli.Session;
using Cairn.Cli.Settings;

namespace Cairn.Cli.Verbs;

/// <summary>What a running verb needs: its settings, streams, printer and a way to connect.</summary>
public sealed class VerbContext
{
    /// <summary>Creates the context.</summary>
    public VerbContext(ParseResult parsed, ClientSettings settings, CliConsole console, IEtcdSessionFactory sessions, Func<string, string?> environment)
    {
        Parsed = parsed;
        Settings = settings;
        Console = console;
        Sessions = sessions;
        Environment = environment;
        Printer = ResponsePrinter.Create(settings.Format, settings.Hex, console.Output, console.Error);
    }

    /// <summary>The parsed command line.</summary>
    public ParseResult Parsed { get; }

    /// <summary>The value of one of the verb's own options.</summary>
    public T Value<T>(Option<T> option) => Parsed.GetValue(option)!;

    /// <summary>The merged global flags.</summary>
    public ClientSettings Settings { get; }

    /// <summary>stdin, stdout, stderr.</summary>
    public CliConsole Console { get; }

    /// <summary>The printer of the chosen <c>-w</c> format.</summary>
    public ResponsePrinter Printer { get; }

    /// <summary>Connects sessions.</summary>
    public IEtcdSessionFactory Sessions { get; }

    /// <summary>Environment variable lookup (ETCDCTL_WATCH_KEY, ...).</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>Connects to every endpoint of the settings.</summary>
    public Task<IEtcdSession> ConnectAsync(CancellationToken cancellation) =>
        Sessions.ConnectAsync(Settings, Settings.Endpoints, cancellation);

    /// <summary>Connects to one endpoint (the endpoint verbs, defrag and snapshot address endpoints one by one).</summary>
    public Task<IEtcdSession> ConnectAsync(string endpoint, CancellationToken cancellation) =>
        Sessions.ConnectAsync(Settings, [endpoint], cancellation);

    /// <summary>A token that fires after --command-timeout (or when <paramref name="cancellation"/> fires).</summary>
    public CancellationTokenSource CommandDeadline(CancellationToken cancellation)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(Settings.CommandTimeout);
        return deadline;
    }

    /// <summary>Runs one request with the --command-timeout deadline, as etcdctl's commandCtx does.</summary>
    public async Task<T> WithDeadlineAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellation)
    {
        using var deadline = CommandDeadline(cancellation);
        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new EtcdCallException(4, "context deadline exceeded");
        }
    }
}
